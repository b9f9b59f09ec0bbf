namespace Dropout.Regression;

/// <summary>One variant trained on one seed's data: its losses after the last step (eval mode) and its weights.</summary>
/// <param name="Seed">The value given to <c>torch.random.manual_seed</c> before the data were drawn.</param>
/// <param name="Variant">How it was trained.</param>
/// <param name="TrainLoss">MSE on the 20 training points, eval mode.</param>
/// <param name="TestLoss">MSE on the source's 20 fresh test points, eval mode.</param>
/// <param name="LargeTestLoss">MSE on the large fresh test set (<see cref="RegressionSettings.LargeTestSize"/> points), eval mode.</param>
/// <param name="SmallWeightFraction">Fraction of the weight matrices' entries with |w| below <see cref="RegressionSettings.SmallWeight"/>.</param>
/// <param name="Divergence">How the run blew up, or null when it did not (<see cref="RegressionDivergence.Rule"/>).</param>
/// <param name="NoiseSensitivity">With noise inputs (<see cref="RegressionSettings.NoiseInputs"/>): how much the prediction
/// moves when only the noise inputs change — the root mean square, over the large test set, of f(x, n) − f(x, n′) for two
/// draws n, n′ of them (eval mode); NaN without noise inputs.</param>
public sealed record RegressionRunResult(long Seed, RegressionVariant Variant, double TrainLoss, double TestLoss, double LargeTestLoss,
    double SmallWeightFraction, RegressionDivergence? Divergence, double NoiseSensitivity = double.NaN)
{
    /// <summary>True when the run broke <see cref="RegressionDivergence.Rule"/>: it belongs beside the means, not in them.</summary>
    public bool Diverged => Divergence is not null;
}
