using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Models;

/// <summary>Monte Carlo dropout (Gal &amp; Ghahramani 2016), d2l's "test-time dropout as a heuristic for uncertainty":
/// T passes with dropout ON (T times the cost), their softmax averaged; their disagreement estimates the uncertainty.</summary>
public static class MonteCarloDropout
{
    /// <summary>Averages the softmax of <paramref name="samples"/> passes in TRAINING mode (dropout on, no gradients), in
    /// chunks of <paramref name="batchSize"/>; the previous mode is restored, also when a pass throws.</summary>
    /// <exception cref="ArgumentOutOfRangeException">samples or batchSize is not positive.</exception>
    public static MonteCarloPrediction Predict(nn.Module<Tensor, Tensor> net, Tensor X, int samples, int batchSize = D2l.EvalBatchSize)
    {
        if (samples <= 0) throw new ArgumentOutOfRangeException(nameof(samples), samples, $"the number of stochastic passes must be positive; got {samples}.");
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"the batch size must be positive; got {batchSize}.");
        using var mode = ModuleMode.Train(net);
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

    /// <summary>The usual prediction: one pass in EVAL mode, softmax, in chunks; the previous mode is restored.</summary>
    public static Tensor DeterministicProbabilities(nn.Module<Tensor, Tensor> net, Tensor X, int batchSize = D2l.EvalBatchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"the batch size must be positive; got {batchSize}.");
        using var mode = ModuleMode.Eval(net);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        long n = X.shape[0];
        for (long start = 0; start < n; start += batchSize)
            parts.Add(nn.functional.softmax(net.forward(X.narrow(0, start, Math.Min(batchSize, n - start))), 1));
        return cat(parts, 0).MoveToOuterDisposeScope();
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
