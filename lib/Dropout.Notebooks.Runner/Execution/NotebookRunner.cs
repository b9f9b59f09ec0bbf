using System.Diagnostics;
using Dropout.Notebooks.Runner.Documents;

namespace Dropout.Notebooks.Runner.Execution;

/// <summary>
/// Runs notebooks headlessly, each in a fresh .NET Interactive kernel of its own process (as VS Code and
/// Jupyter give each notebook its own kernel), one after another. Every notebook is read and its parameters
/// checked before the first one starts, so a mistake costs nothing. A failing notebook does not stop the
/// next; an interruption does (the rest are reported as not run).
/// </summary>
public static class NotebookRunner
{
    /// <summary>Runs <see cref="NotebookRunOptions.Notebooks"/> in kernel processes started by <paramref name="kernel"/>.</summary>
    /// <exception cref="FileNotFoundException">A notebook does not exist (checked before anything runs).</exception>
    /// <exception cref="InvalidDataException">A notebook is not valid nbformat 4 (checked before anything runs).</exception>
    /// <exception cref="ParameterException">An override names no declared parameter or has a bad value, a notebook lacks a
    /// parameters cell, or two notebooks share a file name (checked before anything runs).</exception>
    public static async Task<NotebookRunResult> RunAsync(NotebookRunOptions options, KernelProcess kernel, CancellationToken cancellationToken = default)
    {
        var documents = options.Notebooks.Select(NotebookDocument.Load).ToList();
        foreach (var document in documents) NotebookPlan.Create(document, options.Quick, options.Parameters);
        var clash = documents.GroupBy(d => Path.GetFileName(d.Path), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ParameterException($"two notebooks are named {clash.Key}; their outputs would overwrite each other in {options.OutputDirectory}. Run them separately with different --out.");
        Directory.CreateDirectory(options.OutputDirectory);

        var results = new List<NotebookResult>();
        string jobs = Directory.CreateTempSubdirectory("dropout-notebooks-").FullName;
        try
        {
            foreach (var document in documents)
            {
                if (cancellationToken.IsCancellationRequested || results.Any(r => r.Status == NotebookStatus.Interrupted))
                {
                    results.Add(new NotebookResult(document.Path, NotebookStatus.NotRun, 0, 0, TimeSpan.Zero, null, null, null));
                    continue;
                }
                results.Add(await RunOneAsync(document.Path, options, kernel, jobs, results.Count, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            Directory.Delete(jobs, recursive: true);
        }
        return new NotebookRunResult(results);
    }

    static async Task<NotebookResult> RunOneAsync(string notebook, NotebookRunOptions options, KernelProcess kernel, string jobs, int index, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var job = new KernelJob(notebook, options.OutputDirectory, options.Quick, options.Parameters,
            options.CellTimeout?.TotalSeconds, options.InPlace, Path.Combine(jobs, $"{index}.result.json"));
        string jobPath = Path.Combine(jobs, $"{index}.job.json");
        File.WriteAllText(jobPath, job.ToJson());
        int exitCode = await kernel.RunAsync(jobPath, cancellationToken).ConfigureAwait(false);
        if (job.ReadResult() is { } result) return result;
        var status = cancellationToken.IsCancellationRequested ? NotebookStatus.Interrupted : NotebookStatus.Failed;
        return new NotebookResult(notebook, status, 0, 0, clock.Elapsed,
            $"{notebook}: the kernel process ended (exit code {exitCode}) before it finished the notebook; its messages are above.", null, null);
    }
}
