using System.Diagnostics;
using Microsoft.CodeAnalysis.Scripting;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// Runs Polyglot C# notebooks headlessly: each notebook's code cells in order in one Roslyn script
/// state, parameters injected after the cell tagged <c>parameters</c>, outputs formatted as the C#
/// kernel would, and an executed .ipynb plus an offline .html written after every cell. A failing cell
/// stops its notebook (the next notebook still runs) and is recorded with its number and exception.
/// </summary>
public static class NotebookRunner
{
    /// <summary>
    /// Runs <see cref="NotebookRunOptions.Notebooks"/> one after another.
    /// </summary>
    /// <exception cref="FileNotFoundException">A notebook does not exist (checked before anything runs).</exception>
    /// <exception cref="InvalidDataException">A notebook is not valid nbformat 4 (checked before anything runs).</exception>
    /// <exception cref="ParameterException">An override names no declared parameter or has a bad value, or a notebook lacks a parameters cell.</exception>
    public static async Task<NotebookRunResult> RunAsync(NotebookRunOptions options, IProgress<NotebookProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plans = options.Notebooks.Select(path => NotebookPlan.Create(NotebookDocument.Load(path), options)).ToList();
        var clash = plans.GroupBy(p => Path.GetFileName(p.Document.Path), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ParameterException($"two notebooks are named {clash.Key}; their outputs would overwrite each other in {options.OutputDirectory}. Run them separately with different --out.");

        Dropout.TorchNative.Ensure();
        ConsoleCapture.EnsureInstalled();
        Directory.CreateDirectory(options.OutputDirectory);

        var results = new List<NotebookResult>();
        foreach (var plan in plans)
        {
            if (results.Any(r => r.Status == NotebookStatus.Interrupted))
            {
                results.Add(new NotebookResult(plan.Document.Path, NotebookStatus.NotRun, 0, plan.CodeCellCount, TimeSpan.Zero, null, null, null, []));
                continue;
            }
            results.Add(await RunNotebookAsync(plan, options, progress, cancellationToken));
        }
        return new NotebookRunResult(results);
    }

    static async Task<NotebookResult> RunNotebookAsync(NotebookPlan plan, NotebookRunOptions options, IProgress<NotebookProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string name = Path.GetFileName(plan.Document.Path);
        string notebookDirectory = Path.GetDirectoryName(plan.Document.Path)!;
        string executedPath = options.InPlace ? plan.Document.Path : Path.Combine(options.OutputDirectory, name);
        string htmlPath = Path.Combine(options.OutputDirectory, Path.ChangeExtension(name, ".html"));
        var writer = new NotebookOutputWriter(plan.Document, executedPath, htmlPath);

        ValueFormatter.ResetForNewNotebook();
        var session = new ScriptSession(notebookDirectory);
        var cells = plan.Cells.Select(c => new ExecutedCell(c.Source, c.CellType, c.Code, null, [])).ToList();
        var sinks = new CellOutputSink?[cells.Count];
        // Outputs shown by display() can still be updated from later cells, so every write re-reads every cell's sink.
        void Write()
        {
            for (int c = 0; c < cells.Count; c++)
                if (sinks[c] is { } s) cells[c] = cells[c] with { Outputs = s.Snapshot() };
            writer.Write(cells);
        }
        int executionCount = 0, codeCell = 0;
        NotebookStatus status = NotebookStatus.Succeeded;
        string? failure = null;
        progress?.Report(new NotebookProgress(name, 0, plan.CodeCellCount, NotebookStage.NotebookStarted, clock.Elapsed));

        for (int i = 0; i < plan.Cells.Count && status == NotebookStatus.Succeeded; i++)
        {
            var cell = plan.Cells[i];
            if (cell.CellType != "code") continue;
            codeCell++;
            if (string.IsNullOrWhiteSpace(cell.Code)) continue;
            string where = $"{(cell.Source is null ? "the injected parameters cell" : $"cell {cell.Source.Number}")} (code cell {codeCell} of {plan.CodeCellCount})";
            progress?.Report(new NotebookProgress(name, codeCell, plan.CodeCellCount, NotebookStage.CellStarted, clock.Elapsed));

            var sink = sinks[i] = new CellOutputSink();
            executionCount++;
            ErrorOutput? error = await RunCellAsync(session, cell, notebookDirectory, sink, where, options.CellTimeout, cancellationToken);
            if (error is not null)
            {
                sink.Add(error);
                status = error.Name == InterruptedName ? NotebookStatus.Interrupted : NotebookStatus.Failed;
                failure = $"{plan.Document.Path}: {where} failed: {error.Name}: {error.Value}";
            }
            cells[i] = cells[i] with { ExecutionCount = executionCount };
            Write();
            progress?.Report(new NotebookProgress(name, codeCell, plan.CodeCellCount,
                error is null ? NotebookStage.CellSucceeded : NotebookStage.CellFailed, clock.Elapsed));
        }
        Write();
        int cellsRun = cells.Count(c => c.ExecutionCount is not null && c.Outputs.All(o => o is not ErrorOutput));
        return new NotebookResult(plan.Document.Path, status, cellsRun, plan.CodeCellCount, clock.Elapsed, failure, executedPath, htmlPath, cells);
    }

    const string InterruptedName = "Interrupted";

    static async Task<ErrorOutput?> RunCellAsync(
        ScriptSession session, PlannedCell cell, string notebookDirectory, CellOutputSink sink, string where,
        TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!CellDirectives.CSharpKernelMagics.Contains(cell.Language))
            return Error(where, "UnsupportedLanguage",
                $"the cell's language is '{cell.Language}'; the headless engine runs C# cells only.", []);
        Task run;
        try
        {
            var directives = CellDirectives.Parse(cell.Code);
            var references = CellReferences.Resolve(directives, notebookDirectory);
            // A dedicated thread, not the thread pool: a long synchronous cell (a training loop) must not
            // starve the pool that the timeout, Ctrl+C handling and progress need.
            run = Task.Factory.StartNew(() => session.RunAsync(directives.Code, references, sink, cancellationToken),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        }
        catch (CellDirectiveException e)
        {
            return Error(where, "DirectiveError", e.Message, []);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(timeout ?? Timeout.InfiniteTimeSpan, stop.Token);
        var first = await Task.WhenAny(run, deadline);
        stop.Cancel();
        if (first != run)
        {
            Observe(run);
            return cancellationToken.IsCancellationRequested
                ? Error(where, InterruptedName, "the run was cancelled (Ctrl+C) while this cell was running; outputs up to here are kept.", [])
                : Error(where, "CellTimeout",
                    $"the cell ran longer than --cell-timeout {timeout!.Value.TotalSeconds:0.###} s. The notebook was stopped; " +
                    "a running script cannot be aborted safely, so the cell's thread is left to finish in the background.", []);
        }
        try
        {
            await run;
            return null;
        }
        catch (CompilationErrorException e)
        {
            var lines = e.Diagnostics.Select(d => d.ToString()).ToList();
            return Error(where, "CompilationError", string.Join("; ", lines.Where(l => l.Contains("error", StringComparison.Ordinal)).DefaultIfEmpty(e.Message)), lines);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Error(where, InterruptedName, "the run was cancelled (Ctrl+C) while this cell was running; outputs up to here are kept.", []);
        }
        catch (Exception e)
        {
            return Error(where, e.GetType().FullName ?? e.GetType().Name, e.Message, e.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList());
        }
    }

    static ErrorOutput Error(string where, string name, string message, IReadOnlyList<string> details) =>
        new(name, message, [$"{where} failed: {name}: {message}", .. details]);

    static void Observe(Task task) => task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
}
