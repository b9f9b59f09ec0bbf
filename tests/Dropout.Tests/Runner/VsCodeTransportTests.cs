using Dropout.Notebooks.Runner.Documents;
using Dropout.Notebooks.Runner.Html;
using Dropout.Notebooks.Runner.Jupyter;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>
/// What VS Code does when it opens a notebook of this repository, as far as it can be done without VS Code: start the
/// kernel the way <c>.vscode/settings.json</c> tells the Polyglot Notebooks extension to (the project's launcher,
/// <c>[vscode] stdio --working-dir notebooks</c>) and send it every cell of notebook 01 (quick) as the extension
/// does, one <c>SubmitCode</c> command per cell. (What cannot be checked here: the extension itself, its rendering,
/// and that it honours the setting — see the README.)
/// </summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
public class VsCodeTransportTests
{
    [Fact]
    public void TheWorkspaceSettingsStartTheProjectsLauncherOverStdio()
    {
        string settings = File.ReadAllText(Path.Combine(RepositoryRoot, ".vscode", "settings.json"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(settings, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        var args = json["dotnet-interactive.kernelTransportArgs"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal(["{working_dir}/../lib/Dropout.Notebooks.Runner/Jupyter/dotnet-interactive-kernel", "[vscode]", "stdio", "--working-dir", "{working_dir}"], args);
        Assert.True(File.Exists(Path.Combine(RepositoryRoot, "notebooks", "..", "lib", "Dropout.Notebooks.Runner", "Jupyter", "dotnet-interactive-kernel")));
    }

    [Fact]
    public void EveryCellOfNotebook01RunsOverTheStdioTransportWithChartsAndTables()
    {
        var document = NotebookDocument.Load(Path.Combine(RepositoryNotebooks.Folder, "01-dropout-from-scratch.ipynb"));
        var cells = NotebookPlan.Create(document, quick: true, []).Cells.Where(c => c.CellType == "code").ToList();
        using var kernel = new StdioKernelClient(KernelInstaller.Launcher(RepositoryRoot), ["[vscode]", "stdio", "--working-dir", RepositoryNotebooks.Folder]);
        kernel.WaitUntilReady(TimeSpan.FromMinutes(2));

        int charts = 0, tables = 0, updates = 0;
        foreach (var cell in cells)
        {
            var (succeeded, failure, events) = kernel.Submit(cell.Code, TimeSpan.FromMinutes(10));
            Assert.True(succeeded, $"cell failed over stdio: {failure}\n{cell.Code}");
            // d2l's live chart: every update names a value the cell displayed, so VS Code redraws it in place
            var shownIds = events.Where(e => (string?)e["eventType"] == "DisplayedValueProduced").Select(e => (string?)e["event"]!["valueId"]).ToHashSet();
            foreach (var update in events.Where(e => (string?)e["eventType"] == "DisplayedValueUpdated"))
            {
                Assert.Contains((string?)update["event"]!["valueId"], shownIds);
                updates++;
            }
            var shown = StdioKernelClient.Shown(events);
            charts += shown.Count(s => s.TryGetValue("text/html", out string? h) && OfflinePlotly.IsChartHtml(h));
            tables += shown.Count(s => s.ContainsKey("text/csv"));
        }
        Assert.Equal(3, charts);   // d2l's Animator for the training and for the output-layer training, and E[h'] = h
        Assert.True(tables >= 3, $"{tables} tables");
        Assert.True(updates > 0, "no chart was updated in place");
    }
}
