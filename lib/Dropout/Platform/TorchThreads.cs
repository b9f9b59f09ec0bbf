using static TorchSharp.torch;

namespace Dropout.Platform;

/// <summary>
/// libtorch's thread count, lowered for a while: tiny models (Morvan's 20-point regression) run faster on one thread
/// than on two that must meet at every operation. How idle threads wait is set by <c>Dropout.Native.TorchWaitPolicy</c>.
/// </summary>
public static class TorchThreads
{
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
}
