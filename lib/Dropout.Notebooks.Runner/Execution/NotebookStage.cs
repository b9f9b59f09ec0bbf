namespace Dropout.Notebooks.Runner.Execution;

/// <summary>The steps <see cref="NotebookProgress"/> reports.</summary>
public enum NotebookStage
{
    /// <summary>The kernel is ready and the notebook is about to run.</summary>
    NotebookStarted,
    /// <summary>A code cell was sent to the kernel.</summary>
    CellStarted,
    /// <summary>The running cell wrote text to its console (streamed while it runs).</summary>
    Output,
    /// <summary>A code cell finished without error.</summary>
    CellSucceeded,
    /// <summary>A code cell failed (kernel error, timeout or interruption).</summary>
    CellFailed,
}
