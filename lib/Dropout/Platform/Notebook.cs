using Microsoft.DotNet.Interactive;

namespace Dropout.Platform;

/// <summary>The notebook kernel the code runs in, if any: what the library's live charts and training loops ask of it.</summary>
internal static class Notebook
{
    /// <summary>True inside a cell of a .NET Interactive kernel (VS Code, Jupyter, the project's runner).</summary>
    public static bool IsRunning => KernelInvocationContext.Current is not null;

    /// <summary>The running cell's cancellation (Interrupt in VS Code and Jupyter); none outside a kernel.</summary>
    public static CancellationToken CellCancellation => KernelInvocationContext.Current?.CancellationToken ?? default;

    /// <summary>
    /// False when the kernel serves Jupyter: the released kernel's <c>update_display_data</c> messages carry another
    /// <c>display_id</c> than the display they update, so a Jupyter front end (and nbclient's saved notebook) keeps the first
    /// picture. VS Code's protocol, and the project's runner, update in place.
    /// </summary>
    public static bool UpdatesInPlace => !Environment.GetCommandLineArgs().Skip(1).Take(2).Contains("jupyter");
}
