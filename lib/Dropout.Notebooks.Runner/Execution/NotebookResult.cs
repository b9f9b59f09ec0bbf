
namespace Dropout.Notebooks.Runner.Execution;

/// <summary>The outcome of one notebook; <paramref name="Notebook"/> is the source's full path.</summary>
/// <param name="Elapsed">Wall time, the kernel's start included.</param>
/// <param name="Failure">What failed and where (notebook, cell, message).</param>
public sealed record NotebookResult(
    string Notebook, NotebookStatus Status, int CellsRun, int CellCount, TimeSpan Elapsed, string? Failure,
    string? ExecutedNotebook, string? Html);
