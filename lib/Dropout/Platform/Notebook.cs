using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace Dropout.Platform;

/// <summary>The notebook kernel the code runs in, if any: what the library's live charts and training loops ask of it.</summary>
internal static class Notebook
{
    /// <summary>True inside a cell of a .NET Interactive kernel (VS Code, Jupyter, the project's runner).</summary>
    public static bool IsRunning => KernelInvocationContext.Current is not null;

    /// <summary>The running cell's cancellation (Interrupt in VS Code and Jupyter); none outside a kernel.</summary>
    public static CancellationToken CellCancellation => KernelInvocationContext.Current?.CancellationToken ?? default;

    /// <summary>
    /// Shows <paramref name="value"/> in the running cell, as the kernel's <c>display(value)</c> does, and returns the handle
    /// that updates it in place. The kernel's own <c>display</c> (1.0.712001) publishes the value under one id and returns a
    /// handle with another, so its updates reach VS Code and Jupyter as new outputs (Jupyter drops them); the cell's context
    /// publishes both under the handle's id.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not in a notebook cell.</exception>
    public static DisplayedValue Display(object value) =>
        (KernelInvocationContext.Current ?? throw new InvalidOperationException("not in a notebook cell")).Display(value);
}
