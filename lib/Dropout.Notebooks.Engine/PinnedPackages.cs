using System.Reflection;
using System.Text.Json;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// The packages a notebook may ask for with <c>#r "nuget: Name, Version"</c>: those pinned in the
/// project's Directory.Packages.props (embedded into this assembly at build time as
/// <c>[AssemblyMetadata("nuget:Name", "Version")]</c>), served from the assemblies the engine itself
/// runs with, so there is one copy of TorchSharp and Plotly.NET in the process.
/// </summary>
public static class PinnedPackages
{
    const string MetadataPrefix = "nuget:";

    /// <summary>
    /// Packages the engine stands in for: Plotly.NET.Interactive (not served by the registry here) is
    /// replaced by the engine's own chart display and pairs with the pinned Plotly.NET version.
    /// </summary>
    static readonly IReadOnlyDictionary<string, string> Substitutes =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Plotly.NET.Interactive"] = "Plotly.NET" };

    static readonly Lazy<IReadOnlyDictionary<string, string>> Pins = new(ReadPins);

    /// <summary>Every pinned package and its version, as built into the engine.</summary>
    public static IReadOnlyDictionary<string, string> Versions => Pins.Value;

    /// <summary>
    /// Checks a <c>#r "nuget: ..."</c> request and returns the package whose assemblies serve it.
    /// </summary>
    /// <exception cref="CellDirectiveException">The package is not pinned, or at another version.</exception>
    public static string Resolve(PackageRequest request)
    {
        string served = Substitutes.GetValueOrDefault(request.Name, request.Name);
        var pin = Versions.FirstOrDefault(p => string.Equals(p.Key, served, StringComparison.OrdinalIgnoreCase));
        if (pin.Key is null)
            throw new CellDirectiveException(
                $"#r \"nuget: {request.Name}, {request.Version}\": the package {request.Name} is not one the project pins " +
                $"(pinned: {string.Join(", ", Versions.Select(p => $"{p.Key} {p.Value}"))}). Add it to Directory.Packages.props and reference it from the engine, or remove the line.");
        if (request.Version is null || request.Version != pin.Value)
            throw new CellDirectiveException(
                $"#r \"nuget: {request.Name}{(request.Version is null ? "" : ", " + request.Version)}\": the project pins {request.Name} {pin.Value}, " +
                $"but the line asks for {(request.Version is null ? "no version" : "version " + request.Version)}. Write #r \"nuget: {request.Name}, {pin.Value}\".");
        return pin.Key;
    }

    /// <summary>
    /// The files of the runtime assemblies of <paramref name="package"/> and its dependencies, as this
    /// process loads them (read from the host's .deps.json and its trusted platform assemblies).
    /// </summary>
    /// <exception cref="CellDirectiveException">The host was built without the package.</exception>
    public static IReadOnlyList<string> AssemblyFiles(string package)
    {
        var graph = HostDependencies.Value;
        string? key = graph.Keys.FirstOrDefault(k => k.StartsWith(package + "/", StringComparison.OrdinalIgnoreCase));
        if (key is null)
            throw new CellDirectiveException(
                $"#r \"nuget: {package}\": the project pins {package}, but the program running the notebook was built without it; " +
                "reference the package from lib/Dropout.Notebooks.Engine to make it available to notebooks.");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var todo = new Stack<string>([key]);
        while (todo.Count > 0)
        {
            string library = todo.Pop();
            if (!seen.Add(library) || !graph.TryGetValue(library, out var entry)) continue;
            foreach (string file in entry.RuntimeFiles) names.Add(Path.GetFileName(file));
            foreach (string dependency in entry.Dependencies)
                if (graph.Keys.FirstOrDefault(k => k.StartsWith(dependency + "/", StringComparison.OrdinalIgnoreCase)) is { } dep)
                    todo.Push(dep);
        }
        return names.Select(HostAssemblies.PathOf).OfType<string>().ToList();
    }

    static IReadOnlyDictionary<string, string> ReadPins() =>
        typeof(PinnedPackages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => a.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal) && a.Value is not null)
            .ToDictionary(a => a.Key[MetadataPrefix.Length..], a => a.Value!, StringComparer.OrdinalIgnoreCase);

    sealed record Library(IReadOnlyList<string> Dependencies, IReadOnlyList<string> RuntimeFiles);

    static readonly Lazy<IReadOnlyDictionary<string, Library>> HostDependencies = new(ReadHostDependencies);

    static IReadOnlyDictionary<string, Library> ReadHostDependencies()
    {
        var libraries = new Dictionary<string, Library>(StringComparer.OrdinalIgnoreCase);
        string files = AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "";
        // The host lists its .deps.json files separated by ';' on every platform.
        foreach (string depsFile in files.Split(';', StringSplitOptions.RemoveEmptyEntries).Where(File.Exists))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(depsFile));
            if (!doc.RootElement.TryGetProperty("targets", out var targets)) continue;
            foreach (var target in targets.EnumerateObject())
            foreach (var library in target.Value.EnumerateObject())
            {
                var dependencies = library.Value.TryGetProperty("dependencies", out var d) ? d.EnumerateObject().Select(p => p.Name).ToList() : [];
                var runtime = library.Value.TryGetProperty("runtime", out var r) ? r.EnumerateObject().Select(p => p.Name).ToList() : [];
                libraries.TryAdd(library.Name, new Library(dependencies, runtime));
            }
        }
        return libraries;
    }
}
