using Dropout.Training;

namespace Dropout.Regression;

/// <summary>One variant trained on one seed's data: its eval-mode losses after the last step, and its weights.</summary>
/// <param name="Seed">The value given to <c>torch.random.manual_seed</c> before the data were drawn.</param>
/// <param name="SmallWeightFraction">Fraction of weight-matrix entries with |w| below <see cref="RegressionSettings.SmallWeight"/>.</param>
/// <param name="NoiseSensitivity">RMS over the large test set of f(x, n) − f(x, n′), two draws of the noise inputs
/// (<see cref="RegressionSettings.NoiseInputs"/>); NaN without them.</param>
public sealed record RegressionRunResult(long Seed, RegressionVariant Variant, double TrainLoss, double TestLoss, double LargeTestLoss,
    double SmallWeightFraction, Divergence? Divergence, double NoiseSensitivity = double.NaN)
{
    /// <summary>True when the run broke <see cref="Divergence.Rule"/>: it belongs beside the means, not in them.</summary>
    public bool Diverged => Divergence is not null;
}
