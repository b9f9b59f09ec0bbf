namespace Dropout.Notebooks.Runner.Documents;

/// <summary>A cell to run or copy; <paramref name="Source"/> is null for the injected parameters cell.</summary>
/// <param name="Language">The kernel the cell is for (Polyglot Notebooks' <c>kernelName</c>), e.g. <c>csharp</c>.</param>
public sealed record PlannedCell(NotebookCell? Source, string CellType, string Code, string Language);
