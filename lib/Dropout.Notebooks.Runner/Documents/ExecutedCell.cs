namespace Dropout.Notebooks.Runner.Documents;

/// <summary>A cell of the executed notebook.</summary>
/// <param name="Source">The source cell, or null for the injected parameters cell.</param>
/// <param name="CellType"><c>code</c>, <c>markdown</c> or <c>raw</c>.</param>
/// <param name="Code">The cell's source text.</param>
/// <param name="ExecutionCount">The execution number, or null if it did not run.</param>
/// <param name="Outputs">Its outputs.</param>
public sealed record ExecutedCell(NotebookCell? Source, string CellType, string Code, int? ExecutionCount, IReadOnlyList<CellOutput> Outputs)
{
    /// <summary>True for the cell of parameter overrides the runner injected.</summary>
    public bool IsInjected => Source is null;
}
