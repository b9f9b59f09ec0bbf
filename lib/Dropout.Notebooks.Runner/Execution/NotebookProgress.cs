namespace Dropout.Notebooks.Runner.Execution;

/// <summary>A step of a notebook's run, for progress display; <paramref name="Notebook"/> is the file name.</summary>
/// <param name="Cell">The 1-based number among the notebook's code cells (0 before the first).</param>
/// <param name="Elapsed">Since the notebook started; for <see cref="NotebookStage.CellSucceeded"/> and
/// <see cref="NotebookStage.CellFailed"/>, since the cell started.</param>
/// <param name="Text">What the cell wrote, for <see cref="NotebookStage.Output"/>.</param>
public sealed record NotebookProgress(string Notebook, int Cell, int CellCount, NotebookStage Stage, TimeSpan Elapsed, string? Text = null);
