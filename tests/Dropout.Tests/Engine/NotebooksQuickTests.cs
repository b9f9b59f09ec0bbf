using Dropout.Cli;
using Dropout.Notebooks.Engine;
using static Dropout.Tests.Engine.EngineTestSupport;

namespace Dropout.Tests.Engine;

/// <summary>Every notebook of the repository runs green in quick mode, and quick mode is declared by each one.</summary>
[Collection(EngineCollection.Name)]
[Trait("Category", "Slow")]
public class NotebooksQuickTests
{
    static string NotebooksFolder =>
        Path.Combine(NotebooksCommand.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"no {NotebooksCommand.SolutionFile} above {AppContext.BaseDirectory}"), "notebooks");

    const string NoNotebooks = "(none)";

    static string[] Notebooks() =>
        Directory.Exists(NotebooksFolder) ? Directory.GetFiles(NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal).ToArray() : [];

    public static TheoryData<string> RepositoryNotebooks()
    {
        var data = new TheoryData<string>();
        foreach (string path in Notebooks()) data.Add(Path.GetFileName(path));
        if (data.Count == 0) data.Add(NoNotebooks); // xunit refuses a theory without data; fail with a clear message instead
        return data;
    }

    [Fact]
    public void TheRepositoryHasNotebooks() =>
        Assert.True(Notebooks().Length > 0, $"{NotebooksFolder} holds no .ipynb notebooks.");

    [Theory]
    [MemberData(nameof(RepositoryNotebooks))]
    public async Task RunsGreenInQuickMode(string name)
    {
        Assert.True(name != NoNotebooks, $"{NotebooksFolder} holds no .ipynb notebooks.");
        string path = Path.Combine(NotebooksFolder, name);
        var parameters = NotebookDocument.Load(path).Cells.SingleOrDefault(c => c.Tags.Contains(NotebookParameters.ParametersTag));
        Assert.True(parameters is not null, $"{name} has no cell tagged 'parameters'.");
        Assert.Contains(NotebookParameters.Declarations(parameters.Source), d => d is { Name: NotebookParameters.QuickParameter, Type: "bool" });

        var result = await RunOne(path, o => o with { Quick = true });

        Assert.True(result.Status == NotebookStatus.Succeeded, result.Failure);
        Assert.Equal("", NbformatComplaints(result.ExecutedNotebook!));
    }
}
