namespace Dropout.Notebooks.Runner.Documents;

/// <summary>A cell of the executed notebook; <paramref name="ExecutionCount"/> is null when it did not run.</summary>
public sealed record ExecutedCell(NotebookCell? Source, string CellType, string Code, int? ExecutionCount, IReadOnlyList<CellOutput> Outputs)
{
    /// <summary>True for the injected cell of parameter overrides (it has no source cell).</summary>
    public bool IsInjected => Source is null;
}
