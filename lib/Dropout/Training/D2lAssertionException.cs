using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Training;

/// <summary>d2l's <c>assert</c> after training failed; the message names the values.</summary>
public sealed class D2lAssertionException(D2lCheck check) : Exception(check.ToString())
{
    /// <summary>The check that failed.</summary>
    public D2lCheck Check { get; } = check;
}
