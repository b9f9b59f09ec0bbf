
namespace Dropout.Notebooks.Runner.Execution;

/// <summary>The outcome of one notebook.</summary>
/// <param name="Notebook">The source notebook (full path).</param>
/// <param name="Status">How the run ended.</param>
/// <param name="CellsRun">Code cells that ran to completion.</param>
/// <param name="CellCount">Code cells in the run (the injected one included).</param>
/// <param name="Elapsed">Wall time of the notebook, the kernel's start included.</param>
/// <param name="Failure">What failed and where (notebook, cell, message), or null.</param>
/// <param name="ExecutedNotebook">The executed .ipynb written, or null.</param>
/// <param name="Html">The .html written, or null.</param>
public sealed record NotebookResult(
    string Notebook, NotebookStatus Status, int CellsRun, int CellCount, TimeSpan Elapsed, string? Failure,
    string? ExecutedNotebook, string? Html);
