using System.Reflection;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// The managed assemblies this process runs with (its trusted platform assemblies: the framework plus
/// everything in the host's .deps.json). Notebook references to an assembly of the same simple name are
/// bound to these files, so a notebook shares TorchSharp, Plotly.NET, the formatter and the Dropout
/// library with the engine instead of loading second copies.
/// </summary>
public static class HostAssemblies
{
    static readonly Lazy<IReadOnlyDictionary<string, string>> BySimpleName = new(() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase));

    /// <summary>The host's file for an assembly file name such as <c>TorchSharp.dll</c>, or null.</summary>
    public static string? PathOf(string fileName) =>
        BySimpleName.Value.GetValueOrDefault(Path.GetFileNameWithoutExtension(fileName));

    /// <summary>The host's file for the assembly whose simple name is <paramref name="simpleName"/>, or null.</summary>
    public static string? PathOfSimpleName(string simpleName) => BySimpleName.Value.GetValueOrDefault(simpleName);

    /// <summary>The framework assemblies every cell can use (those in the runtime's own directory).</summary>
    public static IEnumerable<string> Framework()
    {
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return BySimpleName.Value.Values.Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.Ordinal));
    }

    /// <summary>The simple name of the assembly in <paramref name="path"/>.</summary>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static string SimpleNameOf(string path) => AssemblyName.GetAssemblyName(path).Name ?? Path.GetFileNameWithoutExtension(path);
}
