namespace Dropout.Notebooks.Runner.Execution;

/// <summary>How a notebook's run ended.</summary>
public enum NotebookStatus
{
    /// <summary>Every code cell ran without error.</summary>
    Succeeded,
    /// <summary>A cell failed or ran past the timeout; the notebook stopped there.</summary>
    Failed,
    /// <summary>The run was cancelled (Ctrl+C, SIGTERM); the notebook stopped there.</summary>
    Interrupted,
    /// <summary>Not run, because an earlier notebook was interrupted.</summary>
    NotRun,
    /// <summary>
    /// Still running: what a kernel process records before each cell, so that a process that ends without its final
    /// result (a cell called <c>Environment.Exit</c>, a crash) still says how far it got; its
    /// <see cref="NotebookResult.Failure"/> names the cell. Never a final status.
    /// </summary>
    Running,
}
