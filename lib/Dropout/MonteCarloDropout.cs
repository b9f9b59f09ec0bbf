using TorchSharp;
using static TorchSharp.torch;

namespace Dropout;

/// <summary>
/// The result of <see cref="MonteCarloDropout.Predict"/>: per sample, the softmax averaged over the
/// stochastic passes and two measures of how much the passes disagree. Dispose it to free the tensors.
/// </summary>
/// <param name="MeanProbabilities">[N, classes]: the average of the passes' softmax outputs (rows sum to 1).</param>
/// <param name="Entropy">[N]: predictive entropy −Σ p̄ log p̄ of <paramref name="MeanProbabilities"/>, in nats (0 … ln classes).</param>
/// <param name="PredictedClassStd">[N]: standard deviation over the passes of the probability given to the predicted class (argmax of the mean).</param>
/// <param name="Samples">The number of stochastic passes T.</param>
public sealed record MonteCarloPrediction(Tensor MeanProbabilities, Tensor Entropy, Tensor PredictedClassStd, int Samples) : IDisposable
{
    /// <summary>[N]: the predicted class of each sample (argmax of the mean probabilities).</summary>
    public Tensor Predicted() => MeanProbabilities.argmax(1);

    /// <inheritdoc/>
    public void Dispose()
    {
        MeanProbabilities.Dispose();
        Entropy.Dispose();
        PredictedClassStd.Dispose();
    }
}

/// <summary>
/// Monte Carlo dropout (Gal &amp; Ghahramani 2016), d2l's "test-time dropout as a heuristic for uncertainty":
/// keep dropout ON at prediction time, run T stochastic passes and average their softmax outputs; how much the
/// passes disagree estimates the model's uncertainty. Costs T forward passes instead of one.
/// </summary>
public static class MonteCarloDropout
{
    /// <summary>
    /// Runs <paramref name="samples"/> forward passes of <paramref name="net"/> in TRAINING mode (dropout active,
    /// no gradients) over <paramref name="X"/>, in chunks of <paramref name="batchSize"/>, and averages the softmax.
    /// The module's previous training/eval mode is restored afterwards, also when a pass throws.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">samples or batchSize is not positive.</exception>
    public static MonteCarloPrediction Predict(nn.Module<Tensor, Tensor> net, Tensor X, int samples, int batchSize = D2l.EvalBatchSize)
    {
        if (samples <= 0) throw new ArgumentOutOfRangeException(nameof(samples), samples, $"the number of stochastic passes must be positive; got {samples}.");
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"the batch size must be positive; got {batchSize}.");
        bool wasTraining = net.training;
        net.train();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var means = new List<Tensor>();
            var stds = new List<Tensor>();
            long n = X.shape[0];
            for (long start = 0; start < n; start += batchSize)
            {
                var xb = X.narrow(0, start, Math.Min(batchSize, n - start));
                Tensor? sum = null, sumSq = null;
                for (int t = 0; t < samples; t++)
                {
                    using var passScope = NewDisposeScope();
                    var probs = nn.functional.softmax(net.forward(xb), 1).to_type(ScalarType.Float64);
                    sum = sum is null ? probs.clone().MoveToOuterDisposeScope() : sum.add_(probs);
                    sumSq = sumSq is null ? probs.square().MoveToOuterDisposeScope() : sumSq.add_(probs.square());
                }
                var mean = sum! / samples;
                var variance = (sumSq! / samples - mean.square()).clamp_min(0);
                var predicted = mean.argmax(1, keepdim: true);
                means.Add(mean);
                stds.Add(variance.gather(1, predicted).squeeze(1).sqrt());
            }
            var meanProbabilities = cat(means, 0).to_type(ScalarType.Float32);
            var entropy = Entropy(meanProbabilities);
            var predictedClassStd = cat(stds, 0).to_type(ScalarType.Float32);
            return new MonteCarloPrediction(
                meanProbabilities.MoveToOuterDisposeScope(), entropy.MoveToOuterDisposeScope(), predictedClassStd.MoveToOuterDisposeScope(), samples);
        }
        finally
        {
            net.train(wasTraining);
        }
    }

    /// <summary>
    /// The usual deterministic prediction: one pass in EVAL mode (dropout off), softmax, in chunks.
    /// The module's previous mode is restored afterwards.
    /// </summary>
    public static Tensor DeterministicProbabilities(nn.Module<Tensor, Tensor> net, Tensor X, int batchSize = D2l.EvalBatchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"the batch size must be positive; got {batchSize}.");
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var parts = new List<Tensor>();
            long n = X.shape[0];
            for (long start = 0; start < n; start += batchSize)
                parts.Add(nn.functional.softmax(net.forward(X.narrow(0, start, Math.Min(batchSize, n - start))), 1));
            return cat(parts, 0).MoveToOuterDisposeScope();
        }
        finally
        {
            net.train(wasTraining);
        }
    }

    /// <summary>Entropy −Σ p log p (nats) of each row of a probability matrix [N, classes]; 0 log 0 counts as 0.</summary>
    public static Tensor Entropy(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        var p = probabilities;
        var terms = where(p > 0, p * p.clamp_min(1e-30).log(), zeros_like(p));
        return (-terms.sum(1)).MoveToOuterDisposeScope();
    }
}

/// <summary>Samples with uncertainty in one range, and how often the model was right on them.</summary>
/// <param name="Bucket">1-based bucket number, from the least to the most uncertain.</param>
/// <param name="MinUncertainty">Smallest uncertainty in the bucket.</param>
/// <param name="MaxUncertainty">Largest uncertainty in the bucket.</param>
/// <param name="Count">Samples in the bucket.</param>
/// <param name="Accuracy">Fraction of them predicted right.</param>
public sealed record UncertaintyBucket(int Bucket, double MinUncertainty, double MaxUncertainty, long Count, double Accuracy);

/// <summary>Accuracy as a function of predictive uncertainty: does "unsure" mean "more often wrong"?</summary>
public static class UncertaintyBuckets
{
    /// <summary>
    /// Sorts the samples by <paramref name="uncertainty"/> and splits them into <paramref name="bucketCount"/>
    /// buckets of (nearly) equal size, least uncertain first; reports each bucket's range and accuracy.
    /// </summary>
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
