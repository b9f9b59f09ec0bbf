using Dropout.Platform;
using Dropout.Statistics;
using Dropout.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Regression;

/// <summary>
/// Morvan's regression demo repeated over seeds, beyond the source: for each seed, new data and new starting weights,
/// and every <see cref="RegressionVariant"/> trained from those same weights on those same points, so that two
/// variants differ only in what the variant says (dropout, learning rate, optimizer, weight penalty). Seeds train side
/// by side (<see cref="ParallelRuns"/>), each from a generator of its own.
/// </summary>
public static class RegressionStudy
{
    /// <summary>
    /// One seed, from a generator seeded with <paramref name="seed"/> (the numbers <c>manual_seed(seed)</c> gives): the
    /// training data and the source's test data (<see cref="RegressionDemo.MakeData"/>, in the source's order); a large test
    /// set drawn the same way; one <c>net_overfitting</c> whose starting weights every variant gets (a dropout variant's
    /// Linear layers are loaded with them); then each variant in order, trained full-batch for
    /// <see cref="RegressionSettings.Steps"/> steps on the MSE (plus λ·Σ|w| for L1), its dropout masks drawn from the same
    /// generator. A run that blows up is not stopped: it is marked by <see cref="RegressionDivergence.Find"/>. Runs on one
    /// torch thread (the caller's setting is restored): nets this small train faster on one thread than on two.
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
                Regularization.SmallWeightFraction(net, s.SmallWeight), RegressionDivergence.Find(recorded),
                redrawn_x is null ? double.NaN : Math.Sqrt(RegressionDemo.EvalLoss(net, redrawn_x, Predict(net, large_x)))));
        }
        return results;
    }

    /// <summary>
    /// <see cref="Run"/> for each seed, side by side on the cores (<paramref name="workers"/>: default one per core), one
    /// progress line per finished seed (in a notebook, the cell's output). The runs come back in seed order, each seed's in
    /// variant order, whatever finished first.
    /// </summary>
    public static IReadOnlyList<RegressionRunResult> RunSeeds(IEnumerable<long> seeds, IReadOnlyList<RegressionVariant> variants,
        RegressionSettings? settings = null, int? workers = null, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        (settings ?? new RegressionSettings()).Validate();
        CheckVariants(variants);
        var plan = seeds.Select(s => new PlannedSeed(s)).ToList();
        var perSeed = ParallelRuns.Run(plan, p => new SeedResult(Run(p.Seed, variants, settings)), workers, progress, cancellationToken);
        return perSeed.SelectMany(r => r.Runs).ToList();
    }

    /// <summary>
    /// The runs of each variant over the seeds (in the order the variants first appear), a diverged run named by its
    /// <see cref="RegressionDivergence"/>: the project's one summary over seeds, whose comparisons pair the seeds both
    /// variants kept (the same data and starting weights).
    /// </summary>
    public static IReadOnlyDictionary<string, SeedRuns<RegressionRunResult>> BySetting(IReadOnlyList<RegressionRunResult> results) =>
        results.GroupBy(r => r.Variant.Name).ToDictionary(g => g.Key, g => new SeedRuns<RegressionRunResult>(g.Key,
            g.OrderBy(r => r.Seed).Select(r => new SeedRun<RegressionRunResult>((int)r.Seed, r, r.Divergence?.ToString())).ToList()));

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
