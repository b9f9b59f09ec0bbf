using System.Collections;
using static TorchSharp.torch;

namespace Dropout.Data;

/// <summary>d2l's <c>train_iter</c> / <c>test_iter</c>: minibatches of (features, labels), reshuffled every pass when
/// <c>shuffle</c> is on. Each yielded batch belongs to the caller's dispose scope.</summary>
public sealed class DataIter : IEnumerable<(Tensor X, Tensor y)>
{
    readonly Generator? _generator;

    /// <summary>All features, first dimension = samples.</summary>
    public Tensor Features { get; }
    /// <summary>All labels, one per sample.</summary>
    public Tensor Labels { get; }
    /// <summary>Samples per batch (the last batch may be smaller).</summary>
    public int BatchSize { get; }
    /// <summary>Whether each pass visits the samples in a new random order.</summary>
    public bool Shuffle { get; }
    /// <summary>Number of samples.</summary>
    public long Count => Features.shape[0];
    /// <summary>Number of batches per pass.</summary>
    public int BatchCount => (int)((Count + BatchSize - 1) / BatchSize);

    /// <summary>Wraps tensors that share their first dimension.</summary>
    /// <param name="seed">Seeds the shuffle; null: torch's global generator.</param>
    public DataIter(Tensor features, Tensor labels, int batchSize, bool shuffle, long? seed = null)
        : this(features, labels, batchSize, shuffle, seed is long s ? new Generator((ulong)s) : null) { }

    /// <summary>Wraps tensors that share their first dimension; shuffles with the caller's <paramref name="generator"/>
    /// (null: torch's global one).</summary>
    public DataIter(Tensor features, Tensor labels, int batchSize, bool shuffle, Generator? generator)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"the batch size must be positive; got {batchSize}.");
        if (features.shape[0] != labels.shape[0])
            throw new ArgumentException($"features have {features.shape[0]} samples but labels have {labels.shape[0]}.", nameof(labels));
        if (features.shape[0] == 0) throw new ArgumentException("the data set is empty.", nameof(features));
        Features = features;
        Labels = labels;
        BatchSize = batchSize;
        Shuffle = shuffle;
        _generator = generator;
    }

    /// <inheritdoc/>
    public IEnumerator<(Tensor X, Tensor y)> GetEnumerator()
    {
        long n = Count;
        if (!Shuffle)
        {
            for (long start = 0; start < n; start += BatchSize)
            {
                long length = Math.Min(BatchSize, n - start);
                yield return (Features.narrow(0, start, length), Labels.narrow(0, start, length));
            }
            yield break;
        }
        // Drawn on the CPU, where the generator lives, then moved: index_select needs the index on the data's device.
        using var cpuOrder = randperm(n, generator: _generator);
        using var order = cpuOrder.to(Features.device);
        for (long start = 0; start < n; start += BatchSize)
        {
            long length = Math.Min(BatchSize, n - start);
            using var idx = order.narrow(0, start, length);
            yield return (Features.index_select(0, idx), Labels.index_select(0, idx));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
