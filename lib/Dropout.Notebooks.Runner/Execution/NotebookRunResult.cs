namespace Dropout.Notebooks.Runner.Execution;

/// <summary>The outcome of a run: one result per notebook, in the order asked.</summary>
public sealed record NotebookRunResult(IReadOnlyList<NotebookResult> Notebooks)
{
    /// <summary>True when every notebook succeeded.</summary>
    public bool Succeeded => Notebooks.All(n => n.Status == NotebookStatus.Succeeded);

    /// <summary>True when the run was cancelled.</summary>
    public bool Interrupted => Notebooks.Any(n => n.Status == NotebookStatus.Interrupted);
}
