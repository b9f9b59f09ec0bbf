using System.Runtime.CompilerServices;
using Dropout.Native;

namespace Dropout.Tests;

/// <summary>
/// The test host makes TorchSharp loadable before any test touches torch, as a notebook's set-up cell and every command
/// do (the library itself does nothing when it loads).
/// </summary>
static class TorchSetup
{
#pragma warning disable CA2255 // the test assembly's one-time set-up
    [ModuleInitializer]
    internal static void Initialize() => TorchNative.Ensure();
#pragma warning restore CA2255
}
