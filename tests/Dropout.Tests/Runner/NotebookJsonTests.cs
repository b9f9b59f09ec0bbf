using System.Text.Json.Nodes;
using Dropout.Notebooks.Runner.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>
/// The runner reads and writes .ipynb itself (<c>Documents/NotebookDocument.cs</c>, <c>ExecutedNotebookJson.cs</c>) and
/// keeps what it does not know. Microsoft.DotNet.Interactive.Documents at the kernel's version (its <c>Notebook.Parse</c>
/// and <c>ToJupyterJson</c>) round-trips the repository's notebooks but for their format version, and loses raw cells,
/// attachments and JSON outputs: the same notebooks through both, the evidence for the runner's README.
/// </summary>
public class NotebookJsonTests
{
    public static TheoryData<string> RepositoryNotebookNames => new(RepositoryNotebooks.Names);

    /// <summary>A notebook the way nbformat 4.5 writes one: cell ids, a raw cell, a markdown cell with an attachment.</summary>
    const string Nbformat45 = """
        {
         "cells": [
          {"attachments": {"dot.png": {"image/png": "iVBORw0KGgo="}}, "cell_type": "markdown", "id": "intro", "metadata": {}, "source": ["# Title\n", "![dot](attachment:dot.png)"]},
          {"cell_type": "raw", "id": "note", "metadata": {}, "source": ["not code: the runner copies it"]},
          {"cell_type": "code", "execution_count": null, "id": "show",
           "metadata": {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}, "tags": ["parameters"]},
           "outputs": [], "source": ["bool quick = false;"]}
         ],
         "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}},
         "nbformat": 4,
         "nbformat_minor": 5
        }
        """;

    [Theory]
    [MemberData(nameof(RepositoryNotebookNames))]
    public void TheRunnerWritesARepositoryNotebookBackUnchanged(string name)
    {
        string path = Path.Combine(RepositoryNotebooks.Folder, name);
        var document = NotebookDocument.Load(path);
        string written = ExecutedNotebookJson.Write(document, document.Cells.Select(c => new ExecutedCell(c, c.CellType, c.Source, null, [])).ToList());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(path)), JsonNode.Parse(written)), $"{name}: the runner changed it");
    }

    [Theory]
    [MemberData(nameof(RepositoryNotebookNames))]
    public void TheLibraryRoundTripsARepositoryNotebookButRaisesItsFormatTo45WithoutCellIds(string name)
    {
        string text = File.ReadAllText(Path.Combine(RepositoryNotebooks.Folder, name));
        var original = JsonNode.Parse(text)!;
        var written = JsonNode.Parse(Notebook.Parse(text).ToJupyterJson())!;
        Assert.Equal(2, (int)original["nbformat_minor"]!);
        Assert.Equal(5, (int)written["nbformat_minor"]!);
        Assert.All(written["cells"]!.AsArray(), cell => Assert.Null(cell!["id"]));
        written["nbformat_minor"] = 2;
        Assert.True(JsonNode.DeepEquals(original, written), $"{name}: the library changed more than nbformat_minor");
    }

    [Fact]
    public void NbformatRefusesTheLibrarysCopyOfARepositoryNotebookForItsMissingCellIds()
    {
        string directory = TempDirectory();
        string name = RepositoryNotebooks.Names[0], library = Path.Combine(directory, "library.ipynb");
        File.WriteAllText(library, Notebook.Parse(File.ReadAllText(Path.Combine(RepositoryNotebooks.Folder, name))).ToJupyterJson());
        Assert.Equal("", StrictNbformatComplaints(Path.Combine(RepositoryNotebooks.Folder, name)));
        Assert.Contains("MissingIDFieldWarning", StrictNbformatComplaints(library));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void TheRunnerKeepsCellIdsRawCellsAttachmentsAndJsonOutputs()
    {
        string directory = TempDirectory();
        string path = Path.Combine(directory, "nbformat45.ipynb"), executed = Path.Combine(directory, "executed.ipynb");
        File.WriteAllText(path, Nbformat45);
        var document = NotebookDocument.Load(path);
        var plan = NotebookPlan.Create(document, quick: true, []);
        CellOutput[] outputs =
        [
            new StreamOutput("stdout", "to stdout\n"), new StreamOutput("stderr", "to stderr\n"),
            new DisplayOutput(new Dictionary<string, string> { ["application/json"] = """{"a": 1, "b": [1.5, 2]}""" }, IsResult: false, IsChart: false),
            new DisplayOutput(new Dictionary<string, string> { ["text/html"] = "<table></table>", ["text/csv"] = "a,b\r\n1,2\r\n" }, IsResult: true, IsChart: false),
            new ErrorOutput("Error", "boom", ["boom"]),
        ];
        File.WriteAllText(executed, ExecutedNotebookJson.Write(document,
            plan.Cells.Select((c, i) => new ExecutedCell(c.Source, c.CellType, c.Code, c.CellType == "code" ? i : null, c.Source is null ? outputs : [])).ToList()));

        var root = JsonNode.Parse(File.ReadAllText(executed))!;
        var cells = root["cells"]!.AsArray();
        Assert.Equal(5, (int)root["nbformat_minor"]!);
        Assert.Equal(["intro", "note", "show", NotebookParameters.InjectedTag], cells.Select(c => (string)c!["id"]!));
        Assert.Equal(["markdown", "raw", "code", "code"], cells.Select(c => (string)c!["cell_type"]!));
        Assert.NotNull(cells[0]!["attachments"]?["dot.png"]);
        Assert.Equal(1, (int)cells[3]!["outputs"]![2]!["data"]!["application/json"]!["a"]!);
        Assert.Equal("", StrictNbformatComplaints(executed));

        // The library: a raw cell is read as a code cell (one the runner would run) and the attachment is gone ...
        var library = JsonNode.Parse(Notebook.Parse(Nbformat45).ToJupyterJson())!["cells"]!.AsArray();
        Assert.Equal(["markdown", "code", "code"], library.Select(c => (string)c!["cell_type"]!));
        Assert.Null(library[0]!["attachments"]);
        // ... and a JSON output, which it reads as an object, it cannot write.
        var thrown = Assert.Throws<ArgumentException>(() => Notebook.Parse(File.ReadAllText(executed)).ToJupyterJson());
        Assert.StartsWith("Expected IEnumerable<string>", thrown.Message);
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>
    /// Like <see cref="RunnerTestSupport.NbformatComplaints"/>, but a cell without the id nbformat 4.5 requires is a complaint
    /// (nbformat's reader adds one and only warns).
    /// </summary>
    static string StrictNbformatComplaints(string path)
    {
        var (code, _, error) = Run("/usr/bin/python3", ["-c",
            "import nbformat, sys, warnings; warnings.simplefilter('error', nbformat.warnings.MissingIDFieldWarning); " +
            "nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path]);
        return code == 0 ? "" : error;
    }
}
