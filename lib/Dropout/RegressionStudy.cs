using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout;

/// <summary>
/// The knobs of Morvan's regression demo and of the blog's L1/L2 variants. Defaults are Morvan's
/// original (Adam lr 0.01 for both nets; the blog's copy gives net_overfitting lr 0.001).
/// </summary>
/// <param name="Steps">Full-batch training steps (source: 500).</param>
/// <param name="LrOverfitting">Adam's learning rate for net_overfitting and its L1/L2 variants (source: 0.01).</param>
/// <param name="LrDropout">Adam's learning rate for net_dropped (source: 0.01).</param>
/// <param name="DropoutP">Dropout probability in net_dropped (source: 0.5).</param>
/// <param name="WeightDecay">Adam's <c>weight_decay</c> for the L2 variant (the blog's example: 1e-2).</param>
/// <param name="L1Lambda">λ of the L1 variant's explicit penalty λ·Σ|w|.</param>
/// <param name="SnapshotEvery">Take a test-set snapshot after every this many steps (source's animation: 50).</param>
/// <param name="NSamples">Points in the training and in the test set (source: 20).</param>
/// <param name="NHidden">Units per hidden layer (source: 300).</param>
public sealed record RegressionSettings(
    int Steps = 500, double LrOverfitting = 0.01, double LrDropout = 0.01, double DropoutP = 0.5,
    double WeightDecay = 1e-2, double L1Lambda = 1e-4, int SnapshotEvery = 50,
    int NSamples = RegressionDemo.NSamples, int NHidden = RegressionDemo.NHidden)
{
    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting that makes no sense.</summary>
    public void Validate()
    {
        if (Steps < 1) throw Bad(nameof(Steps), Steps, "at least 1");
        if (SnapshotEvery < 1) throw Bad(nameof(SnapshotEvery), SnapshotEvery, "at least 1");
        foreach (var (name, lr) in new[] { (nameof(LrOverfitting), LrOverfitting), (nameof(LrDropout), LrDropout) })
            if (!double.IsFinite(lr) || lr <= 0) throw Bad(name, lr, "a finite number > 0");
        foreach (var (name, lambda) in new[] { (nameof(WeightDecay), WeightDecay), (nameof(L1Lambda), L1Lambda) })
            if (!double.IsFinite(lambda) || lambda < 0) throw Bad(name, lambda, "a finite number >= 0");
        DropoutOps.CheckProbability(DropoutP, nameof(DropoutP));
        if (NSamples < 2) throw Bad(nameof(NSamples), NSamples, "at least 2");
        if (NHidden < 1) throw Bad(nameof(NHidden), NHidden, "at least 1");
    }

    static ArgumentOutOfRangeException Bad(string name, object value, string expected) =>
        new(name, value, $"the regression setting {name} must be {expected}; got {value}.");
}

/// <summary>Test losses (eval-mode MSE on the fresh test set) of the four nets after training, for one seed.</summary>
/// <param name="Seed">The value given to <c>torch.random.manual_seed</c> before the data were drawn.</param>
/// <param name="Overfitting">net_overfitting: no regularization.</param>
/// <param name="Dropout">net_dropped: Dropout(p) after each hidden Linear.</param>
/// <param name="L2">net_overfitting's architecture and starting weights, Adam with weight_decay.</param>
/// <param name="L1">net_overfitting's architecture and starting weights, loss + λ·Σ|w|.</param>
public sealed record RegressionSeedResult(long Seed, double Overfitting, double Dropout, double L2, double L1)
{
    /// <summary>True when dropout's test loss is strictly lower than the unregularized net's.</summary>
    public bool DropoutBetter => Dropout < Overfitting;
}

/// <summary>One seed's full run: the snapshots of the pair (as the notebook's loop records them) and the four final test losses.</summary>
/// <param name="Snapshots">One per <see cref="RegressionSettings.SnapshotEvery"/> steps, after steps SnapshotEvery, 2·SnapshotEvery, ….</param>
/// <param name="Result">The four nets' test losses after the last step.</param>
public sealed record RegressionRun(IReadOnlyList<RegressionSnapshot> Snapshots, RegressionSeedResult Result);

/// <summary>
/// Morvan's regression demo repeated over seeds, with the blog's L1/L2 variants: how often does dropout
/// beat the unregularized net on the test set, and by how much?
/// </summary>
public static class RegressionStudy
{
    /// <summary>
    /// One seed, in the notebook's order so that the same seed gives the notebook's numbers:
    /// <c>manual_seed(seed)</c>; training data; test data; net_overfitting; net_dropped (copy of
    /// net_overfitting's starting weights kept); the two trained side by side for
    /// <see cref="RegressionSettings.Steps"/> full-batch Adam steps on MSE, with an eval-mode snapshot after
    /// every <see cref="RegressionSettings.SnapshotEvery"/> steps; then the L2 net (Adam weight_decay) and the
    /// L1 net (loss + λ·Σ|w|), both from net_overfitting's starting weights, trained the same number of steps.
    /// Runs on one torch thread (the calling thread's setting is restored afterwards): nets this small train
    /// faster on one thread than on two that must meet at every operation.
    /// </summary>
    public static RegressionRun Run(long seed, RegressionSettings? settings = null)
    {
        var s = settings ?? new RegressionSettings();
        s.Validate();
        using var oneThread = TorchThreads.Limit(1);
        using var scope = NewDisposeScope();
        random.manual_seed(seed);
        var (x, y) = RegressionDemo.MakeData(s.NSamples);
        var (test_x, test_y) = RegressionDemo.MakeData(s.NSamples);
        using var net_overfitting = RegressionDemo.NetOverfitting(s.NHidden);
        using var net_dropped = RegressionDemo.NetDropped(s.NHidden, s.DropoutP);
        var initialWeights = RegressionDemo.CopyOfWeights(net_overfitting);

        using var optimizer_ofit = optim.Adam(net_overfitting.parameters(), s.LrOverfitting);
        using var optimizer_drop = optim.Adam(net_dropped.parameters(), s.LrDropout);
        var snapshots = new List<RegressionSnapshot>();
        for (int t = 0; t < s.Steps; t++)
        {
            TrainStep(net_overfitting, optimizer_ofit, x, y);
            TrainStep(net_dropped, optimizer_drop, x, y);
            if ((t + 1) % s.SnapshotEvery == 0) snapshots.Add(Snapshot(t + 1, net_overfitting, net_dropped, test_x, test_y));
        }

        using var net_l2 = StartingFrom(initialWeights, s.NHidden);
        using var optimizer_l2 = optim.Adam(net_l2.parameters(), s.LrOverfitting, weight_decay: s.WeightDecay);
        for (int t = 0; t < s.Steps; t++) TrainStep(net_l2, optimizer_l2, x, y);

        using var net_l1 = StartingFrom(initialWeights, s.NHidden);
        using var optimizer_l1 = optim.Adam(net_l1.parameters(), s.LrOverfitting);
        for (int t = 0; t < s.Steps; t++) TrainStep(net_l1, optimizer_l1, x, y, l1Lambda: s.L1Lambda);

        var result = new RegressionSeedResult(seed,
            RegressionDemo.EvalLoss(net_overfitting, test_x, test_y), RegressionDemo.EvalLoss(net_dropped, test_x, test_y),
            RegressionDemo.EvalLoss(net_l2, test_x, test_y), RegressionDemo.EvalLoss(net_l1, test_x, test_y));
        return new RegressionRun(snapshots, result);
    }

    /// <summary>
    /// <see cref="Run"/> for each seed in order (the snapshots are dropped); <paramref name="onSeed"/> is called
    /// after each seed with its result and the seconds it took. Restores nothing: the global generator ends
    /// seeded by the last run.
    /// </summary>
    public static IReadOnlyList<RegressionSeedResult> RunSeeds(IEnumerable<long> seeds, RegressionSettings? settings = null,
        Action<RegressionSeedResult, double>? onSeed = null, CancellationToken cancellationToken = default)
    {
        var results = new List<RegressionSeedResult>();
        foreach (long seed in seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            var result = Run(seed, settings).Result;
            results.Add(result);
            onSeed?.Invoke(result, watch.Elapsed.TotalSeconds);
        }
        return results;
    }

    /// <summary>
    /// One full-batch step: forward in train mode, loss = MSE (+ λ·Σ|w| when <paramref name="l1Lambda"/> &gt; 0),
    /// zero_grad, backward, optimizer step. Returns the MSE part only, as the source prints it.
    /// </summary>
    static double TrainStep(Sequential net, optim.Optimizer optimizer, Tensor x, Tensor y, double l1Lambda = 0)
    {
        using var scope = NewDisposeScope();
        var mse = nn.functional.mse_loss(net.forward(x), y);
        var loss = l1Lambda > 0 ? mse + l1Lambda * Regularization.SumOfAbs(net.parameters()) : mse;
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        double value = mse.item<float>();
        if (!double.IsFinite(value)) throw new InvalidOperationException($"the regression loss became {value}; lower the learning rate.");
        return value;
    }

    static RegressionSnapshot Snapshot(int step, Sequential net_overfitting, Sequential net_dropped, Tensor test_x, Tensor test_y)
    {
        net_overfitting.eval();
        net_dropped.eval();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var test_pred_ofit = net_overfitting.forward(test_x);
            var test_pred_drop = net_dropped.forward(test_x);
            var snapshot = RegressionSnapshot.Of(step, test_pred_ofit, test_pred_drop,
                nn.functional.mse_loss(test_pred_ofit, test_y), nn.functional.mse_loss(test_pred_drop, test_y));
            net_overfitting.train();
            net_dropped.train();
            return snapshot;
        }
    }

    static Sequential StartingFrom(Dictionary<string, Tensor> weights, int nHidden)
    {
        var net = RegressionDemo.NetOverfitting(nHidden);
        net.load_state_dict(weights);
        return net;
    }
}
