namespace Dropout.Notebooks.Runner.Execution;

/// <summary>A step of a notebook's run, for progress display.</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="Cell">The 1-based number of the code cell among the notebook's code cells (0 before the first).</param>
/// <param name="CellCount">How many code cells the notebook runs (the injected one included).</param>
/// <param name="Stage">What happened.</param>
/// <param name="Elapsed">Time since the notebook started (for <see cref="NotebookStage.CellSucceeded"/> and
/// <see cref="NotebookStage.CellFailed"/>: since the cell started).</param>
/// <param name="Text">For <see cref="NotebookStage.Output"/>: what the cell wrote; otherwise null.</param>
public sealed record NotebookProgress(string Notebook, int Cell, int CellCount, NotebookStage Stage, TimeSpan Elapsed, string? Text = null);
