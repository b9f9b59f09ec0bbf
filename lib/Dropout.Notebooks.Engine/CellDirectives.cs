using System.Text.RegularExpressions;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// The kernel directives of one C# cell, taken out of its code before Roslyn compiles it:
/// <c>#r "nuget: Name, Version"</c>, <c>#r "path.dll"</c>, <c>#i "source"</c> and a leading
/// <c>#!csharp</c>. Each directive line is replaced by an empty line, so compiler positions still
/// match the cell's lines. Any other <c>#!</c> magic command is refused.
/// </summary>
public sealed partial record CellDirectives(
    string Code,
    IReadOnlyList<PackageRequest> Packages,
    IReadOnlyList<string> AssemblyPaths)
{
    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<name>[^,"]+?)\s*(,\s*(?<version>[^"]*?)\s*)?"\s*;?\s*$""")]
    private static partial Regex NugetLine();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*;?\s*$""")]
    private static partial Regex ReferenceLine();

    [GeneratedRegex("""^\s*#i\s+".*"\s*$""")]
    private static partial Regex SourceLine();

    [GeneratedRegex("""^\s*#!(?<magic>\S+)""")]
    private static partial Regex MagicLine();

    /// <summary>The magic commands that only say "this cell is C#", which the engine accepts and drops.</summary>
    public static readonly IReadOnlySet<string> CSharpKernelMagics = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "csharp", "c#", "C#" };

    /// <summary>Splits <paramref name="code"/> into its directives and the C# left to compile.</summary>
    /// <exception cref="CellDirectiveException">A magic command the engine does not run.</exception>
    public static CellDirectives Parse(string code)
    {
        var packages = new List<PackageRequest>();
        var paths = new List<string>();
        string[] lines = code.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            Match m;
            if ((m = NugetLine().Match(line)).Success)
                packages.Add(new PackageRequest(m.Groups["name"].Value, m.Groups["version"].Success && m.Groups["version"].Value.Length > 0 ? m.Groups["version"].Value : null));
            else if ((m = ReferenceLine().Match(line)).Success)
                paths.Add(m.Groups["path"].Value);
            else if (SourceLine().IsMatch(line))
            {
                // #i adds a NuGet package source; packages come from the project's own restore here.
            }
            else if ((m = MagicLine().Match(line)).Success)
            {
                if (!CSharpKernelMagics.Contains(m.Groups["magic"].Value))
                    throw new CellDirectiveException(
                        $"line {i + 1}: the magic command #!{m.Groups["magic"].Value} is not supported by the headless engine " +
                        "(it runs C# only; #!csharp is the one magic it accepts).");
            }
            else continue;
            lines[i] = lines[i].EndsWith('\r') ? "\r" : "";
        }
        return new CellDirectives(string.Join('\n', lines), packages, paths);
    }
}

/// <summary>A <c>#r "nuget: Name, Version"</c> line; <paramref name="Version"/> is null when the line gives none.</summary>
public sealed record PackageRequest(string Name, string? Version);

/// <summary>A directive in a cell the engine cannot honour; the message says which and why.</summary>
public sealed class CellDirectiveException(string message) : Exception(message);
