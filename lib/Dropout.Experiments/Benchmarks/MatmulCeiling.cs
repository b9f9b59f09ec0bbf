using System.Diagnostics;
using static TorchSharp.torch;

namespace Dropout.Experiments.Benchmarks;

/// <summary>
/// The ceiling for a training step: the matrix products <see cref="MlpTrainingFlops"/> counts (forward
/// <c>addmm(b, X, Wᵀ)</c>, backward <c>dYᵀ·X</c> and <c>dY·W</c>, in <c>nn.Linear</c>'s shapes and layouts), timed alone.
/// </summary>
public static class MatmulCeiling
{
    /// <summary>The most steps one measurement takes: about 40 epochs' worth of products, a minute or two on a CPU.</summary>
    public const int MaxSteps = 10_000;

    /// <summary>Runs the products of <paramref name="steps"/> training steps; returns GFLOP/s (counted FLOPs / wall time).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is not between 1 and <see cref="MaxSteps"/>, or the batch size is not positive.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked between steps).</exception>
    public static double MeasureGflops(MlpTrainingFlops net, int batchSize, int steps, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(steps, MaxSteps);
        using var scope = NewDisposeScope();
        var layers = net.Layers.Select(l => (
            X: rand(batchSize, l.In), W: rand(l.Out, l.In), b: rand(l.Out), dY: rand(batchSize, l.Out))).ToArray();
        using (no_grad())
        {
            var clock = Stopwatch.StartNew();
            for (int step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var stepScope = NewDisposeScope();
                foreach (var (X, W, b, _) in layers) addmm(b, X, W.t(), beta: 1, alpha: 1);
                for (int i = layers.Length - 1; i >= 0; i--)
                {
                    var (X, W, _, dY) = layers[i];
                    dY.t().mm(X);
                    if (i > 0) dY.mm(W);
                }
            }
            return steps * net.TrainingStep(batchSize) / clock.Elapsed.TotalSeconds / 1e9;
        }
    }
}
