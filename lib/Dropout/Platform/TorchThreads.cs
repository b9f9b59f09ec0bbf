using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Dropout.Platform;

/// <summary>
/// The one place the project chooses libtorch's threading. libtorch parallelises each operation over
/// <c>get_num_threads()</c> OpenMP threads (by default one per physical core: 2 here), and between
/// operations those threads wait for work. With OpenMP's default "active" wait they spin; on a machine
/// that has other work to do (a second study shard, a build, a browser) the spinning threads take the
/// cores the next operation needs, and measured epochs went from about 2 s to 14–70 s. Waiting
/// passively (<c>OMP_WAIT_POLICY=PASSIVE</c>) kept them at 2–3 s on the same loaded machine.
/// <para>
/// <see cref="TorchNative.Ensure"/> calls <see cref="ConfigureWaitPolicy"/> before libtorch loads, because
/// OpenMP reads the variable once, when it starts. A value the user set for <c>OMP_WAIT_POLICY</c> or
/// <c>GOMP_SPINCOUNT</c> is left alone. The thread count itself stays libtorch's default (physical cores);
/// <see cref="Limit"/> lowers it for a while, for tiny models (Morvan's 20-point regression) that run
/// faster on one thread than on two that must meet at every operation.
/// </para>
/// </summary>
public static class TorchThreads
{
    /// <summary>The OpenMP variable that says how idle threads wait.</summary>
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>The wait policy the project sets when the user did not choose one.</summary>
    public const string ProjectWaitPolicy = "PASSIVE";

    /// <summary>True when this process set <see cref="WaitPolicyVariable"/> (rather than the user).</summary>
    public static bool WaitPolicySetByProject { get; private set; }

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in this process's native environment unless the user chose a
    /// wait policy or spin count. Has effect only before libtorch's OpenMP runtime starts.
    /// </summary>
    internal static void ConfigureWaitPolicy()
    {
        if (OperatingSystem.IsWindows()) return;
        if (Environment.GetEnvironmentVariable(WaitPolicyVariable) is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null) return;
        // .NET keeps its own copy of the environment on Unix; native code (OpenMP) reads libc's.
        try
        {
            if (setenv(WaitPolicyVariable, ProjectWaitPolicy, 0) != 0) return;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return; // no C library to ask: OpenMP keeps its default
        }
        Environment.SetEnvironmentVariable(WaitPolicyVariable, ProjectWaitPolicy);
        WaitPolicySetByProject = true;
    }

    /// <summary>One line for logs and benchmark headers: thread counts and the wait policy in force.</summary>
    public static string Describe()
    {
        string policy = Environment.GetEnvironmentVariable(WaitPolicyVariable) ?? "unset (OpenMP default: spin)";
        string who = WaitPolicySetByProject ? " (set by Dropout.TorchThreads)" : "";
        return $"torch threads: {get_num_threads()} intra-op, {get_num_interop_threads()} inter-op; {WaitPolicyVariable}={policy}{who}";
    }

    /// <summary>
    /// Uses <paramref name="threads"/> threads until the returned value is disposed. libtorch applies the count to
    /// the calling thread and to threads that first use torch while it is in force; threads that used torch
    /// before keep their own count, and so do those that started during the limit after it ends. Create and
    /// dispose the limit on the thread that does the work.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">threads &lt; 1.</exception>
    public static ThreadLimit Limit(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, $"torch needs at least 1 thread; got {threads}.");
        return new ThreadLimit(threads);
    }

    /// <summary>A temporary torch thread count; disposing it restores the previous one.</summary>
    public sealed class ThreadLimit : IDisposable
    {
        bool _disposed;

        internal ThreadLimit(int threads)
        {
            Previous = get_num_threads();
            set_num_threads(threads);
        }

        /// <summary>The thread count in force before <see cref="Limit"/>; restored by <see cref="Dispose"/>.</summary>
        public int Previous { get; }

        /// <summary>Restores the previous thread count (once; later calls do nothing).</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            set_num_threads(Previous);
        }

        /// <inheritdoc/>
        public override string ToString() => $"torch threads: {get_num_threads()} (was {Previous})";
    }

    [DllImport("libc", SetLastError = true)]
    static extern int setenv(string name, string value, int overwrite);
}
