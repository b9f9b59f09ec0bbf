namespace Dropout.Notebooks.Runner.Documents;

/// <summary>A cell to run or copy.</summary>
/// <param name="Source">The notebook's cell, or null for the injected parameters cell.</param>
/// <param name="CellType"><c>code</c>, <c>markdown</c> or <c>raw</c>.</param>
/// <param name="Code">The text the kernel is sent (for code cells).</param>
/// <param name="Language">The kernel the cell is for (Polyglot Notebooks' <c>kernelName</c>), e.g. <c>csharp</c>.</param>
public sealed record PlannedCell(NotebookCell? Source, string CellType, string Code, string Language);
