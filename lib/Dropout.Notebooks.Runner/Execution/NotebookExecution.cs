using System.Diagnostics;
using Dropout.Notebooks.Runner.Documents;
using Dropout.Notebooks.Runner.Kernel;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace Dropout.Notebooks.Runner.Execution;

/// <summary>
/// Runs one notebook in a fresh .NET Interactive kernel in this process, as VS Code or Jupyter would: each code cell goes
/// as <c>SubmitCode</c> to the kernel its metadata names; the .ipynb and .html are written after every cell. A failing
/// cell stops the notebook. A timeout or Ctrl+C cancels the kernel command, but the cell's code may still be running, so
/// the calling process should then end (hence the <c>notebooks</c> command's kernel process per notebook).
/// </summary>
public static class NotebookExecution
{
    /// <summary>The error name recorded for a cell stopped by Ctrl+C or SIGTERM.</summary>
    public const string InterruptedName = "Interrupted";

    /// <summary>The error name recorded for a cell that ran past <c>--cell-timeout</c>.</summary>
    public const string TimeoutName = "CellTimeout";

    /// <summary>Runs <paramref name="job"/>'s notebook and writes its outputs and result.</summary>
    /// <exception cref="FileNotFoundException">The notebook does not exist.</exception>
    /// <exception cref="InvalidDataException">The notebook is not valid nbformat 4.</exception>
    /// <exception cref="ParameterException">The overrides do not fit the notebook's parameters cell.</exception>
    public static async Task<NotebookResult> RunAsync(KernelJob job, IProgress<NotebookProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var plan = NotebookPlan.Create(NotebookDocument.Load(job.Notebook), job.Quick, job.Parameters);
        string name = Path.GetFileName(plan.Document.Path);
        string executedPath = job.InPlace ? plan.Document.Path : Path.Combine(job.OutputDirectory, name);
        string htmlPath = Path.Combine(job.OutputDirectory, Path.ChangeExtension(name, ".html"));
        var writer = new NotebookOutputWriter(plan.Document, executedPath, htmlPath);
        int codeCells = plan.CodeCellCount;

        // The kernel runs in the notebook's folder, as VS Code and Jupyter start it: relative #r paths resolve there.
        Environment.CurrentDirectory = Path.GetDirectoryName(plan.Document.Path)!;
        using var kernel = NotebookKernel.Create();
        using var recorder = new CellOutputRecorder(kernel, plan.Cells.Count);
        var executionCounts = new int?[plan.Cells.Count];
        int codeCell = 0;
        recorder.TextWritten += (_, text) => progress?.Report(new NotebookProgress(name, codeCell, codeCells, NotebookStage.Output, clock.Elapsed, text));
        void Write() => writer.Write(plan.Cells.Select((c, i) => new ExecutedCell(c.Source, c.CellType, c.Code, executionCounts[i], recorder.Outputs(i))).ToList());

        // Compile something first, unrecorded: the C# kernel's first submission pays for Roslyn's start (seconds on a
        // busy machine), which would otherwise count against the first cell's --cell-timeout.
        await kernel.SendAsync(new SubmitCode("0", NotebookKernel.CSharpKernelName), CancellationToken.None);
        progress?.Report(new NotebookProgress(name, 0, codeCells, NotebookStage.NotebookStarted, clock.Elapsed));
        var status = NotebookStatus.Succeeded;
        string? failure = null;
        int executionCount = 0, cellsRun = 0;
        for (int i = 0; i < plan.Cells.Count && status == NotebookStatus.Succeeded; i++)
        {
            var cell = plan.Cells[i];
            if (cell.CellType != "code") continue;
            codeCell++;
            if (string.IsNullOrWhiteSpace(cell.Code)) continue;
            string where = $"{(cell.Source is null ? "the injected parameters cell" : $"cell {cell.Source.Number}")} (code cell {codeCell} of {codeCells})";
            // Should the process end during the cell (a cell calling Environment.Exit, a crash), this is what stays.
            job.WriteResult(new NotebookResult(plan.Document.Path, NotebookStatus.Running, cellsRun, codeCells, clock.Elapsed, where, executedPath, htmlPath));
            progress?.Report(new NotebookProgress(name, codeCell, codeCells, NotebookStage.CellStarted, clock.Elapsed));
            var cellClock = Stopwatch.StartNew();
            recorder.Begin(i);
            executionCounts[i] = ++executionCount;

            ErrorOutput? error = await SubmitAsync(kernel, cell, job.CellTimeoutSeconds, cancellationToken);
            if (error is not null)
            {
                recorder.Add(error);
                status = error.Name == InterruptedName ? NotebookStatus.Interrupted : NotebookStatus.Failed;
                failure = $"{plan.Document.Path}: {where} failed: {(error.Name == "Error" ? "" : error.Name + ": ")}{error.Value}";
            }
            else if (recorder.Outputs(i).OfType<ErrorOutput>().FirstOrDefault() is { } reported)
            {
                status = NotebookStatus.Failed;
                failure = $"{plan.Document.Path}: {where} failed: {reported.Value}";
            }
            else cellsRun++;
            Write();
            progress?.Report(new NotebookProgress(name, codeCell, codeCells,
                status == NotebookStatus.Succeeded ? NotebookStage.CellSucceeded : NotebookStage.CellFailed, cellClock.Elapsed));
        }
        Write();
        var result = new NotebookResult(plan.Document.Path, status, cellsRun, codeCells, clock.Elapsed, failure, executedPath, htmlPath);
        job.WriteResult(result);
        return result;
    }

    /// <summary>Sends one cell; returns the error to record, or null when the kernel reported success.</summary>
    static async Task<ErrorOutput?> SubmitAsync(Microsoft.DotNet.Interactive.Kernel kernel, PlannedCell cell, double? timeoutSeconds, CancellationToken cancellationToken)
    {
        // Interrupted between cells: the cell is not sent at all, and is the one that records the interruption.
        if (cancellationToken.IsCancellationRequested) return Interrupted();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeoutSeconds is double seconds) stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        var submit = new SubmitCode(cell.Code, cell.Language);
        Task<Microsoft.DotNet.Interactive.KernelCommandResult> send;
        try
        {
            send = kernel.SendAsync(submit, stop.Token);
        }
        catch (OperationCanceledException e)
        {
            send = Task.FromCanceled<Microsoft.DotNet.Interactive.KernelCommandResult>(e.CancellationToken.IsCancellationRequested ? e.CancellationToken : new CancellationToken(true));
        }
        // The cell's code may not stop with the cancelled command, so the wait ends on the token too.
        await Task.WhenAny(send, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
        CommandFailed? failed = null;
        if (send.IsCompletedSuccessfully)
        {
            var events = send.Result.Events;
            failed = events.OfType<CommandFailed>().FirstOrDefault(f => f.Command == submit) ?? events.OfType<CommandFailed>().FirstOrDefault();
            if (failed is null) return null; // the cell ran to its end, whatever came after
        }
        else _ = send.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        // Whatever the kernel made of a cancelled command (an exception or a failed result), the cell records why.
        if (cancellationToken.IsCancellationRequested) return Interrupted();
        if (stop.IsCancellationRequested)
            return new ErrorOutput(TimeoutName, $"the cell ran longer than --cell-timeout {timeoutSeconds:0.###} s; the kernel command was cancelled and the notebook stopped.", []);
        if (failed is not null) return new ErrorOutput("Error", failed.Message, CellOutputRecorder.Lines(failed.Message));
        var exception = send.Exception?.GetBaseException();
        return new ErrorOutput("Error", exception?.Message ?? "the kernel did not answer.", CellOutputRecorder.Lines(exception?.ToString() ?? ""));
    }

    static ErrorOutput Interrupted() =>
        new(InterruptedName, "the run was interrupted (Ctrl+C or SIGTERM) while this cell was running; the outputs up to here are kept.", []);
}
