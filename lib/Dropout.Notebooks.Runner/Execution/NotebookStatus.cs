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
    /// Written before each cell, so that a kernel process ending without its final result (<c>Environment.Exit</c> in a
    /// cell, a crash) still says how far it got; <see cref="NotebookResult.Failure"/> names the cell. Never final.
    /// </summary>
    Running,
}
