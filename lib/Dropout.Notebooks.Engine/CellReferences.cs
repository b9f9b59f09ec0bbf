using Microsoft.CodeAnalysis;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// Turns a cell's <c>#r</c> directives into compiler references. Packages come from the project's own
/// restore (see <see cref="PinnedPackages"/>); a DLL path is taken relative to the notebook's folder, and
/// when the host already runs an assembly of that simple name (Dropout.dll, TorchSharp.dll, ...) the cell
/// is bound to the host's copy, so types and native state are shared with the engine.
/// </summary>
static class CellReferences
{
    /// <exception cref="CellDirectiveException">An unpinned package or version, or a missing or invalid DLL.</exception>
    public static IReadOnlyList<MetadataReference> Resolve(CellDirectives directives, string notebookDirectory)
    {
        var references = new List<MetadataReference>();
        foreach (var request in directives.Packages)
        {
            string package = PinnedPackages.Resolve(request);
            references.AddRange(PinnedPackages.AssemblyFiles(package).Select(ScriptSession.HostReference));
        }
        foreach (string path in directives.AssemblyPaths)
        {
            string full = Path.GetFullPath(Path.Combine(notebookDirectory, path));
            if (!File.Exists(full))
                throw new CellDirectiveException(
                    $"#r \"{path}\": {full} does not exist. Build the project first (the README's build: dotnet build Dropout.Notebooks.sln -c Release).");
            string simpleName;
            try { simpleName = HostAssemblies.SimpleNameOf(full); }
            catch (BadImageFormatException) { throw new CellDirectiveException($"#r \"{path}\": {full} is not a .NET assembly."); }
            references.Add(HostAssemblies.PathOfSimpleName(simpleName) is { } hostCopy
                ? ScriptSession.HostReference(hostCopy)
                : MetadataReference.CreateFromFile(full));
        }
        return references;
    }
}
