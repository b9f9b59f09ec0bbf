using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Dropout.Native;

/// <summary>
/// The one place the project chooses libtorch's threading. libtorch parallelises each operation over
/// <c>get_num_threads()</c> OpenMP threads (by default one per physical core: 2 here), and between
/// operations those threads wait for work. With OpenMP's default "active" wait they spin; on a machine
/// that has other work to do (a second study shard, a build, a browser) the spinning threads take the
/// cores the next operation needs, and measured epochs went from about 2 s to 14–70 s. Waiting
/// passively (<c>OMP_WAIT_POLICY=PASSIVE</c>) kept them at 2–3 s on the same loaded machine.
/// <para>
/// <see cref="TorchNative.Ensure"/> calls <see cref="Configure"/> before libtorch loads, because
/// OpenMP reads the variable once, when it starts. A value the user set for <c>OMP_WAIT_POLICY</c> or
/// <c>GOMP_SPINCOUNT</c> is left alone. The thread count itself stays libtorch's default (physical cores);
/// <c>Dropout.Platform.TorchThreads.Limit</c> lowers it for a while, for tiny models (Morvan's 20-point regression) that run
/// faster on one thread than on two that must meet at every operation.
/// </para>
/// </summary>
public static class TorchWaitPolicy
{
    /// <summary>The OpenMP variable that says how idle threads wait.</summary>
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>The wait policy the project sets when the user did not choose one.</summary>
    public const string ProjectValue = "PASSIVE";

    /// <summary>True when this process set <see cref="Variable"/> (rather than the user).</summary>
    public static bool SetByProject { get; private set; }

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in this process's native environment unless the user chose a
    /// wait policy or spin count. Has effect only before libtorch's OpenMP runtime starts.
    /// </summary>
    internal static void Configure()
    {
        if (OperatingSystem.IsWindows()) return;
        if (Environment.GetEnvironmentVariable(Variable) is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null) return;
        // .NET keeps its own copy of the environment on Unix; native code (OpenMP) reads libc's.
        try
        {
            if (setenv(Variable, ProjectValue, 0) != 0) return;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return; // no C library to ask: OpenMP keeps its default
        }
        Environment.SetEnvironmentVariable(Variable, ProjectValue);
        SetByProject = true;
    }

    /// <summary>One line for logs and benchmark headers: thread counts and the wait policy in force.</summary>
    public static string Describe()
    {
        string policy = Environment.GetEnvironmentVariable(Variable) ?? "unset (OpenMP default: spin)";
        string who = SetByProject ? " (set by Dropout.Native.TorchWaitPolicy)" : "";
        return $"torch threads: {get_num_threads()} intra-op, {get_num_interop_threads()} inter-op; {Variable}={policy}{who}";
    }

    [DllImport("libc", SetLastError = true)]
    static extern int setenv(string name, string value, int overwrite);
}
