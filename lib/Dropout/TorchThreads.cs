using static TorchSharp.torch;

namespace Dropout;

/// <summary>
/// Temporarily changes how many CPU threads torch uses for one operation. Tiny models (Morvan's 20-point
/// regression) run faster on one thread than on two that must wait for each other at every operation,
/// and far faster when other processes keep the cores busy.
/// </summary>
public sealed class TorchThreads : IDisposable
{
    readonly int _previous;
    bool _disposed;

    TorchThreads(int threads)
    {
        _previous = get_num_threads();
        set_num_threads(threads);
    }

    /// <summary>The thread count in force before <see cref="Limit"/>; restored by <see cref="Dispose"/>.</summary>
    public int Previous => _previous;

    /// <summary>Uses <paramref name="threads"/> threads until the returned value is disposed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">threads &lt; 1.</exception>
    public static TorchThreads Limit(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, $"torch needs at least 1 thread; got {threads}.");
        return new TorchThreads(threads);
    }

    /// <summary>Restores the previous thread count (once; later calls do nothing).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        set_num_threads(_previous);
    }

    /// <inheritdoc/>
    public override string ToString() => $"torch threads: {get_num_threads()} (was {_previous})";
}
