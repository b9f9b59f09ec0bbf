using System.Diagnostics;
using Dropout.Platform;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Regression;

/// <summary>
/// Morvan's regression demo repeated over seeds, beyond the source: for each seed, new data and new starting weights,
/// and every <see cref="RegressionVariant"/> trained from those same weights on those same points, so that two
/// variants differ only in what the variant says (dropout, learning rate, optimizer, weight penalty).
/// </summary>
public static class RegressionStudy
{
    /// <summary>
    /// One seed: <c>manual_seed(seed)</c>; the training data and the source's test data (<see cref="RegressionDemo.MakeData"/>,
    /// in the source's order); a large test set drawn the same way; one <c>net_overfitting</c> whose starting weights
    /// every variant gets (a dropout variant's Linear layers are loaded with them); then each variant in order, trained
    /// full-batch for <see cref="RegressionSettings.Steps"/> steps on the MSE (plus λ·Σ|w| for L1), its dropout masks
    /// drawn from torch's global generator. A run that blows up is not stopped: it is marked by
    /// <see cref="RegressionDivergence.Find"/>. Runs on one torch thread (the caller's setting is restored): nets this
    /// small train faster on one thread than on two that must meet at every operation.
    /// </summary>
    /// <exception cref="ArgumentException">No variant, or two variants with the same name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting or a variant's field makes no sense.</exception>
    public static IReadOnlyList<RegressionRunResult> Run(long seed, IReadOnlyList<RegressionVariant> variants, RegressionSettings? settings = null)
    {
        var s = settings ?? new RegressionSettings();
        s.Validate();
        CheckVariants(variants);
        using var oneThread = TorchThreads.Limit(1);
        using var scope = NewDisposeScope();
        random.manual_seed(seed);
        var (x, y) = RegressionDemo.MakeData(s.NSamples);
        var (test_x, test_y) = RegressionDemo.MakeData(s.NSamples);
        var (large_x, large_y) = RegressionDemo.MakeData(s.LargeTestSize);
        Dictionary<string, Tensor> initial;
        using (var first = RegressionDemo.NetOverfitting(s.NHidden)) initial = RegressionDemo.CopyOfWeights(first);

        var results = new List<RegressionRunResult>();
        foreach (var v in variants)
        {
            using var net = v.Dropout ? RegressionDemo.NetDroppedFrom(initial, s.NHidden, s.DropoutP) : RegressionDemo.NetOverfittingFrom(initial, s.NHidden);
            using optim.Optimizer optimizer = v.Optimizer == RegressionOptimizer.Adam
                ? optim.Adam(net.parameters(), v.Lr, weight_decay: v.WeightDecay)
                : optim.SGD(net.parameters(), v.Lr, weight_decay: v.WeightDecay);
            var recorded = new List<(int Step, double Loss)>();
            for (int t = 1; t <= s.Steps; t++)
            {
                double mse = TrainStep(net, optimizer, x, y, v.L1Lambda);
                if (t == 1 || t % s.RecordEvery == 0 || t == s.Steps) recorded.Add((t, mse));
            }
            results.Add(new RegressionRunResult(seed, v,
                RegressionDemo.EvalLoss(net, x, y), RegressionDemo.EvalLoss(net, test_x, test_y), RegressionDemo.EvalLoss(net, large_x, large_y),
                Regularization.SmallWeightFraction(net, s.SmallWeight), RegressionDivergence.Find(recorded)));
        }
        return results;
    }

    /// <summary>
    /// <see cref="Run"/> for each seed in order; <paramref name="onSeed"/> is called after each seed with its seed, its
    /// runs and the seconds it took. Restores nothing: the global generator ends seeded by the last run.
    /// </summary>
    public static IReadOnlyList<RegressionRunResult> RunSeeds(IEnumerable<long> seeds, IReadOnlyList<RegressionVariant> variants,
        RegressionSettings? settings = null, Action<long, IReadOnlyList<RegressionRunResult>, double>? onSeed = null,
        CancellationToken cancellationToken = default)
    {
        var results = new List<RegressionRunResult>();
        foreach (long seed in seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            var runs = Run(seed, variants, settings);
            results.AddRange(runs);
            onSeed?.Invoke(seed, runs, watch.Elapsed.TotalSeconds);
        }
        return results;
    }

    /// <summary>
    /// One full-batch step: forward in train mode, loss = MSE (+ λ·Σ|w| when <paramref name="l1Lambda"/> &gt; 0),
    /// zero_grad, backward, optimizer step. Returns the MSE part, as the source prints it.
    /// </summary>
    static double TrainStep(Sequential net, optim.Optimizer optimizer, Tensor x, Tensor y, double l1Lambda)
    {
        using var scope = NewDisposeScope();
        var mse = nn.functional.mse_loss(net.forward(x), y);
        var loss = l1Lambda > 0 ? mse + l1Lambda * Regularization.SumOfAbs(net.parameters()) : mse;
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return mse.item<float>();
    }

    static void CheckVariants(IReadOnlyList<RegressionVariant> variants)
    {
        if (variants.Count == 0) throw new ArgumentException("give at least one variant to train.", nameof(variants));
        foreach (var v in variants) v.Validate();
        var twice = variants.GroupBy(v => v.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"two variants are named '{twice.Key}'; tables and verdicts need distinct names.", nameof(variants));
    }
}
