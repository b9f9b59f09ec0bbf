using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Models;

/// <summary>Accuracy as a function of predictive uncertainty: does "unsure" mean "more often wrong"?</summary>
public static class UncertaintyBuckets
{
    /// <summary>Sorts the samples by <paramref name="uncertainty"/> into <paramref name="bucketCount"/> (nearly) equal
    /// buckets, least uncertain first, and gives each bucket's range and accuracy.</summary>
    /// <param name="uncertainty">[N] any uncertainty score (entropy, std, …); larger = less sure.</param>
    /// <param name="correct">[N] booleans (or 0/1): whether each sample was predicted right.</param>
    /// <param name="bucketCount">How many buckets, between 1 and N.</param>
    /// <exception cref="ArgumentException">The tensors are not 1-D of the same length, or bucketCount is out of range.</exception>
    public static IReadOnlyList<UncertaintyBucket> ByQuantile(Tensor uncertainty, Tensor correct, int bucketCount)
    {
        if (uncertainty.dim() != 1 || correct.dim() != 1 || uncertainty.shape[0] != correct.shape[0])
            throw new ArgumentException($"uncertainty and correct must be 1-D with one entry per sample; got shapes [{string.Join(",", uncertainty.shape)}] and [{string.Join(",", correct.shape)}].", nameof(correct));
        long n = uncertainty.shape[0];
        if (bucketCount < 1 || bucketCount > n)
            throw new ArgumentOutOfRangeException(nameof(bucketCount), bucketCount, $"the number of buckets must be between 1 and the number of samples ({n}); got {bucketCount}.");
        using var scope = NewDisposeScope();
        var u = uncertainty.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        var c = correct.to_type(ScalarType.Bool).cpu().data<bool>().ToArray();
        var order = Enumerable.Range(0, (int)n).OrderBy(i => u[i]).ToArray();
        var buckets = new List<UncertaintyBucket>(bucketCount);
        for (int b = 0; b < bucketCount; b++)
        {
            int from = (int)(n * b / bucketCount), to = (int)(n * (b + 1) / bucketCount);
            var members = order[from..to];
            buckets.Add(new UncertaintyBucket(b + 1, u[members[0]], u[members[^1]], members.Length,
                (double)members.Count(i => c[i]) / members.Length));
        }
        return buckets;
    }
}
