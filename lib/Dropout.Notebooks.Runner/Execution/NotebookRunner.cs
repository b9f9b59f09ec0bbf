using System.Diagnostics;
using Dropout.Notebooks.Runner.Documents;

namespace Dropout.Notebooks.Runner.Execution;

/// <summary>
/// Runs notebooks one after another, each in a fresh kernel of its own process (as VS Code and Jupyter give each notebook
/// its own kernel). All are read and their parameters checked before the first starts. A failing notebook does not stop
/// the next; an interruption does (the rest are reported as not run).
/// </summary>
public static class NotebookRunner
{
    /// <summary>Runs <see cref="NotebookRunOptions.Notebooks"/> in kernel processes started by <paramref name="kernel"/>.</summary>
    /// <exception cref="FileNotFoundException">A notebook does not exist.</exception>
    /// <exception cref="InvalidDataException">A notebook is not valid nbformat 4.</exception>
    /// <exception cref="ParameterException">An override does not fit a notebook's parameters cell (or it has none), or two
    /// notebooks share a file name.</exception>
    public static async Task<NotebookRunResult> RunAsync(NotebookRunOptions options, KernelProcess kernel, CancellationToken cancellationToken = default)
    {
        var documents = options.Notebooks.Select(NotebookDocument.Load).ToList();
        var codeCells = documents.Select(d => NotebookPlan.Create(d, options.Quick, options.Parameters).CodeCellCount).ToList();
        var clash = documents.GroupBy(d => Path.GetFileName(d.Path), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ParameterException($"two notebooks are named {clash.Key}; their outputs would overwrite each other in {options.OutputDirectory}. Run them separately with different --out.");
        Directory.CreateDirectory(options.OutputDirectory);

        var results = new List<NotebookResult>();
        using var jobs = JobFolder.Create();
        for (int i = 0; i < documents.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested || results.Any(r => r.Status == NotebookStatus.Interrupted))
            {
                results.Add(new NotebookResult(documents[i].Path, NotebookStatus.NotRun, 0, codeCells[i], TimeSpan.Zero, null, null, null));
                continue;
            }
            results.Add(await RunOneAsync(documents[i].Path, codeCells[i], options, kernel, jobs.Path, i, cancellationToken).ConfigureAwait(false));
        }
        return new NotebookRunResult(results);
    }

    static async Task<NotebookResult> RunOneAsync(string notebook, int codeCells, NotebookRunOptions options, KernelProcess kernel, string jobs, int index, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var job = new KernelJob(notebook, options.OutputDirectory, options.Quick, options.Parameters,
            options.CellTimeout?.TotalSeconds, options.InPlace, Path.Combine(jobs, $"{index}.result.json"));
        string jobPath = Path.Combine(jobs, $"{index}.job.json");
        File.WriteAllText(jobPath, job.ToJson());
        int exitCode = await kernel.RunAsync(jobPath, cancellationToken).ConfigureAwait(false);
        var status = cancellationToken.IsCancellationRequested ? NotebookStatus.Interrupted : NotebookStatus.Failed;
        var result = job.ReadResult();
        if (result is { Status: not NotebookStatus.Running }) return result;
        // The kernel process ended without its final result: a cell ended it (Environment.Exit), or it crashed or was
        // killed. What it wrote before each cell says how far it got.
        string where = result?.Failure is { } running ? $" while {running} ran" : " before it started the first cell";
        return new NotebookResult(notebook, status, result?.CellsRun ?? 0, codeCells, clock.Elapsed,
            $"{notebook}: the kernel process ended (exit code {exitCode}){where}, before it finished the notebook; its messages are above.",
            result?.ExecutedNotebook is { } executed && File.Exists(executed) ? executed : null,
            result?.Html is { } html && File.Exists(html) ? html : null);
    }
}
