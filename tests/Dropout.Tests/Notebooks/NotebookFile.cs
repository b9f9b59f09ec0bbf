using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dropout.Native;

namespace Dropout.Tests.Notebooks;

/// <summary>A repository notebook read as JSON, and the conventions every notebook follows (notebooks brief).</summary>
sealed class NotebookFile
{
    public static readonly string[] ReferenceLines =
    [
        "#r \"nuget: TorchSharp-cpu, 0.107.0\"",
        "#r \"nuget: Plotly.NET, 6.0.0\"",
        "#r \"nuget: Plotly.NET.CSharp, 0.14.0\"",
        "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"",
        "#r \"../lib/Dropout/bin/Release/net10.0/Dropout.dll\"",
        "// Tooling, not the lesson: makes TorchSharp's native library load on Debian 12 (TorchNative.Ensure() below)",
        "#r \"../lib/Dropout.Native/bin/Release/net10.0/Dropout.Native.dll\"",
    ];

    /// <summary>The second, named piece a notebook may reference after the lesson's library: the experiment machinery.</summary>
    public static readonly string[] ExperimentsLines =
    [
        "// A second piece, not the lesson: the experiment machinery, for its fast training loop in \"Beyond the source\"",
        "#r \"../lib/Dropout.Experiments/bin/Release/net10.0/Dropout.Experiments.dll\"",
    ];

    public string Path { get; }
    public JsonNode Root { get; }
    public IReadOnlyList<JsonNode> Cells { get; }

    NotebookFile(string path)
    {
        Path = path;
        Root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
        Cells = Root["cells"]!.AsArray().Select(c => c!).ToList();
    }

    public static NotebookFile Load(string name) => new(System.IO.Path.Combine(RepositoryRoot(), "notebooks", name));

    public static string RepositoryRoot() => Dropout.Tests.Runner.RunnerTestSupport.RepositoryRoot;

    public static string Text(JsonNode? multiline) => multiline switch
    {
        JsonArray a => string.Concat(a.Select(l => l!.GetValue<string>())),
        null => "",
        _ => multiline.GetValue<string>(),
    };

    public IEnumerable<JsonNode> CellsOfType(string type) => Cells.Where(c => c["cell_type"]!.GetValue<string>() == type);
    public IReadOnlyList<string> CodeSources => CellsOfType("code").Select(c => Text(c["source"])).ToList();
    public string Markdown => string.Join("\n\n", CellsOfType("markdown").Select(c => Text(c["source"])));

    public string ParametersSource => Text(Assert.Single(CellsOfType("code"),
        c => c["metadata"]?["tags"] is JsonArray tags && tags.Any(t => t!.GetValue<string>() == "parameters"))["source"]);

    /// <summary>Index (among code cells) of the one code cell containing <paramref name="fragment"/>.</summary>
    public int CodeCellWith(string fragment)
    {
        var matches = CodeSources.Select((s, i) => (s, i)).Where(x => x.s.Contains(fragment, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"{System.IO.Path.GetFileName(Path)}: expected one code cell containing '{fragment}', found {matches.Count}.");
        return matches[0].i;
    }

    /// <summary>Asserts the notebook brief's file format and top-of-notebook pattern.</summary>
    public void AssertFollowsConventions()
    {
        string name = System.IO.Path.GetFileName(Path);
        Assert.Equal(4, Root["nbformat"]!.GetValue<int>());
        Assert.Equal(2, Root["nbformat_minor"]!.GetValue<int>());
        var meta = Root["metadata"]!;
        Assert.Equal(".net-csharp", meta["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal(".NET (C#)", meta["kernelspec"]!["display_name"]!.GetValue<string>());
        Assert.Equal("C#", meta["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", meta["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());

        foreach (var cell in CellsOfType("code"))
        {
            Assert.Equal("csharp", cell["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
            Assert.Equal("csharp", cell["metadata"]!["dotnet_interactive"]!["language"]!.GetValue<string>());
            Assert.True(cell["outputs"]!.AsArray().Count == 0 && cell["execution_count"] is null,
                $"{name}: code cells are committed without outputs; this one has some:\n{Text(cell["source"])}");
        }

        Assert.StartsWith("# ", Text(Cells[0]["source"]));
        Assert.Contains("暂退法", Text(Cells[0]["source"]));
        Assert.Contains($"notebooks notebooks/{name}", Text(Cells[0]["source"]));
        // The lesson's references and the TorchSharp fix; a notebook that needs the experiment machinery names it after them.
        var references = CodeSources[0].Split('\n');
        Assert.Equal(ReferenceLines, references.Take(ReferenceLines.Length));
        Assert.True(references.Skip(ReferenceLines.Length).SequenceEqual(references.Length == ReferenceLines.Length ? [] : ExperimentsLines),
            $"{name}: the references cell holds the lesson's references, then at most the experiment machinery's");
        Assert.Contains("TorchNative.Ensure()", CodeSources[1]);
        Assert.Matches(new Regex(@"^bool quick = false;", RegexOptions.Multiline), ParametersSource);
        Assert.Contains("## Beyond the source", Markdown);
    }
}
