using Dropout.Platform;
using Dropout.Statistics;
using Dropout.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Regression;

/// <summary>
/// Morvan's demo over seeds, beyond the source: per seed, new data and starting weights shared by every
/// <see cref="RegressionVariant"/>, so variants differ only in what they say. Each seed has a generator of its own.
/// </summary>
public static class RegressionStudy
{
    /// <summary>
    /// One seed, all random numbers from a generator seeded with <paramref name="seed"/> (as <c>manual_seed(seed)</c>): the
    /// source's training and test data, a large test set, one <c>net_overfitting</c>'s starting weights for every variant,
    /// each variant trained full-batch on the MSE (+ λ·Σ|w| for L1). A run that blows up is marked, not stopped. One torch
    /// thread, faster for nets this small (the caller's setting is restored).
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
        using var generator = new Generator((ulong)seed);
        var (x, y) = RegressionDemo.MakeData(s.NSamples, noiseInputs: s.NoiseInputs, generator: generator);
        var (test_x, test_y) = RegressionDemo.MakeData(s.NSamples, noiseInputs: s.NoiseInputs, generator: generator);
        var (large_x, large_y) = RegressionDemo.MakeData(s.LargeTestSize, noiseInputs: s.NoiseInputs, generator: generator);
        var redrawn_x = s.NoiseInputs > 0 ? RegressionDemo.RedrawNoiseInputs(large_x, generator) : null;
        Dictionary<string, Tensor> initial;
        using (var first = RegressionDemo.NetOverfitting(s.NHidden, 1 + s.NoiseInputs, generator)) initial = RegressionDemo.CopyOfWeights(first);

        var results = new List<RegressionRunResult>();
        foreach (var v in variants)
        {
            using var net = v.Dropout ? RegressionDemo.NetDroppedFrom(initial, s.NHidden, s.DropoutP, generator) : RegressionDemo.NetOverfittingFrom(initial, s.NHidden);
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
                Regularization.SmallWeightFraction(net, s.SmallWeight), Divergence.Find(recorded, "step"),
                redrawn_x is null ? double.NaN : Math.Sqrt(RegressionDemo.EvalLoss(net, redrawn_x, Predict(net, large_x)))));
        }
        return results;
    }

    /// <summary><see cref="Run"/> for each seed, side by side, one progress line per seed; results in seed order, then variant order.</summary>
    /// <param name="workers">Default: one per core.</param>
    public static IReadOnlyList<RegressionRunResult> RunSeeds(IEnumerable<long> seeds, IReadOnlyList<RegressionVariant> variants,
        RegressionSettings? settings = null, int? workers = null, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        (settings ?? new RegressionSettings()).Validate();
        CheckVariants(variants);
        var plan = seeds.Select(s => new PlannedSeed(s)).ToList();
        var perSeed = ParallelRuns.Run(plan, p => new SeedResult(Run(p.Seed, variants, settings)), workers, progress, cancellationToken);
        return perSeed.SelectMany(r => r.Runs).ToList();
    }

    /// <summary>Each variant's runs over the seeds, in the order the variants first appear, a diverged run named.</summary>
    public static IReadOnlyDictionary<string, SeedRuns<RegressionRunResult>> BySetting(IReadOnlyList<RegressionRunResult> results) =>
        results.GroupBy(r => r.Variant.Name).ToDictionary(g => g.Key, g => new SeedRuns<RegressionRunResult>(g.Key,
            g.OrderBy(r => r.Seed).Select(r => new SeedRun<RegressionRunResult>((int)r.Seed, r, r.Divergence?.ToString())).ToList()));

    /// <summary>One full-batch train-mode step on the MSE (+ λ·Σ|w| for L1); returns the MSE alone, as the source prints it.</summary>
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

    /// <summary>The net's eval-mode predictions for <paramref name="x"/>, without gradients (its mode is restored).</summary>
    static Tensor Predict(Sequential net, Tensor x)
    {
        using var mode = ModuleMode.Eval(net);
        using var _ = no_grad();
        return net.forward(x);
    }

    static void CheckVariants(IReadOnlyList<RegressionVariant> variants)
    {
        if (variants.Count == 0) throw new ArgumentException("give at least one variant to train.", nameof(variants));
        foreach (var v in variants) v.Validate();
        var twice = variants.GroupBy(v => v.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"two variants are named '{twice.Key}'; tables and verdicts need distinct names.", nameof(variants));
    }

    sealed record PlannedSeed(long Seed)
    {
        public override string ToString() => $"seed {Seed}";
    }

    sealed record SeedResult(IReadOnlyList<RegressionRunResult> Runs)
    {
        public override string ToString() =>
            $"{Runs.Count} runs" + (Runs.Any(r => r.Diverged) ? "; diverged: " + string.Join(", ", Runs.Where(r => r.Diverged).Select(r => r.Variant.Name)) : "");
    }
}
