using System.Collections.Concurrent;
using Dropout.Notebooks.Runner.Documents;
using Dropout.Notebooks.Runner.Execution;

namespace Dropout.Tests.Runner;

/// <summary>
/// The repository's notebooks, each run once per test session in quick mode by the runner (the real kernel), shared
/// by every test that reads their outputs, and written as quick-mode copies for other executors (Jupyter, VS Code).
/// </summary>
public sealed class RepositoryNotebooks : IAsyncLifetime
{
    readonly ConcurrentDictionary<string, Lazy<Task<(NotebookResult Result, ExecutedNotebook? Executed)>>> _runs = new();
    readonly string _output = RunnerTestSupport.TempDirectory();

    public static string Folder => Path.Combine(RunnerTestSupport.RepositoryRoot, "notebooks");

    /// <summary>The repository's notebooks, by file name, in name order.</summary>
    public static IReadOnlyList<string> Names =>
        Directory.Exists(Folder) ? Directory.GetFiles(Folder, "*.ipynb").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>The quick-mode run of <paramref name="name"/>; it must have succeeded.</summary>
    public async Task<ExecutedNotebook> QuickAsync(string name)
    {
        var (result, executed) = await _runs.GetOrAdd(name, n => new(() => RunAsync(n))).Value;
        Assert.True(result.Status == NotebookStatus.Succeeded, result.Failure);
        return executed!;
    }

    async Task<(NotebookResult, ExecutedNotebook?)> RunAsync(string name)
    {
        string output = Path.Combine(_output, Path.GetFileNameWithoutExtension(name));
        var result = await RunnerTestSupport.RunOne(Path.Combine(Folder, name), o => o with { Quick = true, OutputDirectory = output });
        return (result, result.ExecutedNotebook is { } path && File.Exists(path) ? ExecutedNotebook.Load(path) : null);
    }

    /// <summary>
    /// Writes <paramref name="name"/> as it runs in quick mode — the parameters cell followed by the injected one, no
    /// outputs — into <paramref name="directory"/>, for an executor that knows nothing of parameters.
    /// </summary>
    public static string WriteQuickCopy(string name, string directory)
    {
        var document = NotebookDocument.Load(Path.Combine(Folder, name));
        var plan = NotebookPlan.Create(document, quick: true, []);
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, ExecutedNotebookJson.Write(document, plan.Cells.Select(c => new ExecutedCell(c.Source, c.CellType, c.Code, null, [])).ToList()));
        return path;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_output, recursive: true);
        return Task.CompletedTask;
    }
}
