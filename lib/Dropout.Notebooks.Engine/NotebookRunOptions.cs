namespace Dropout.Notebooks.Engine;

/// <summary>What to run and how.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>The notebooks to run, in order.</summary>
    public required IReadOnlyList<string> Notebooks { get; init; }

    /// <summary>Where the executed .ipynb and the .html of each notebook go.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Sets the parameter <c>quick</c> to true in every notebook that declares it (few epochs, small subsets).</summary>
    public bool Quick { get; init; }

    /// <summary>Parameter overrides (<c>-p name=value</c>), applied after <see cref="Quick"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>The longest a single cell may run; null for no limit.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>Also overwrite each source notebook with its executed copy.</summary>
    public bool InPlace { get; init; }
}

/// <summary>A step of a run, for progress display.</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="Cell">The 1-based number of the code cell among the notebook's code cells (0 when the notebook starts).</param>
/// <param name="CellCount">How many code cells the notebook runs (the injected one included).</param>
/// <param name="Stage">What happened.</param>
/// <param name="Elapsed">Time since the notebook started.</param>
public sealed record NotebookProgress(string Notebook, int Cell, int CellCount, NotebookStage Stage, TimeSpan Elapsed);

/// <summary>The steps <see cref="NotebookProgress"/> reports.</summary>
public enum NotebookStage
{
    /// <summary>The notebook was loaded and is about to run.</summary>
    NotebookStarted,
    /// <summary>A code cell started.</summary>
    CellStarted,
    /// <summary>A code cell finished without error.</summary>
    CellSucceeded,
    /// <summary>A code cell failed (exception, compilation error, timeout or interruption).</summary>
    CellFailed,
}

/// <summary>How a notebook's run ended.</summary>
public enum NotebookStatus
{
    /// <summary>Every code cell ran without error.</summary>
    Succeeded,
    /// <summary>A cell failed; the notebook stopped there.</summary>
    Failed,
    /// <summary>The run was cancelled (Ctrl+C); the notebook stopped there.</summary>
    Interrupted,
    /// <summary>Not run, because an earlier notebook was interrupted.</summary>
    NotRun,
}

/// <summary>The outcome of one notebook.</summary>
/// <param name="Notebook">The source notebook (full path).</param>
/// <param name="Status">How the run ended.</param>
/// <param name="CellsRun">Code cells that ran to completion.</param>
/// <param name="CellCount">Code cells in the run (the injected one included).</param>
/// <param name="Elapsed">Wall time of the notebook.</param>
/// <param name="Failure">What failed and where (notebook and cell), or null.</param>
/// <param name="ExecutedNotebook">The executed .ipynb written, or null.</param>
/// <param name="Html">The .html written, or null.</param>
/// <param name="Cells">Every cell of the executed notebook with its outputs.</param>
public sealed record NotebookResult(
    string Notebook, NotebookStatus Status, int CellsRun, int CellCount, TimeSpan Elapsed, string? Failure,
    string? ExecutedNotebook, string? Html, IReadOnlyList<ExecutedCell> Cells);

/// <summary>The outcome of a run: one result per notebook, in the order asked.</summary>
/// <param name="Notebooks">The per-notebook results.</param>
public sealed record NotebookRunResult(IReadOnlyList<NotebookResult> Notebooks)
{
    /// <summary>True when every notebook succeeded.</summary>
    public bool Succeeded => Notebooks.All(n => n.Status == NotebookStatus.Succeeded);

    /// <summary>True when the run was cancelled.</summary>
    public bool Interrupted => Notebooks.Any(n => n.Status == NotebookStatus.Interrupted);
}

/// <summary>A cell of the executed notebook.</summary>
/// <param name="Source">The source cell, or null for the injected parameters cell.</param>
/// <param name="CellType"><c>code</c>, <c>markdown</c> or <c>raw</c>.</param>
/// <param name="Code">The cell's source text.</param>
/// <param name="ExecutionCount">The execution number, or null if it did not run.</param>
/// <param name="Outputs">Its outputs.</param>
public sealed record ExecutedCell(NotebookCell? Source, string CellType, string Code, int? ExecutionCount, IReadOnlyList<CellOutput> Outputs)
{
    /// <summary>True for the cell of parameter overrides the engine injected.</summary>
    public bool IsInjected => Source is null;
}
