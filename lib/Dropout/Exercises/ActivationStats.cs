namespace Dropout.Exercises;

/// <summary>One layer's activations on a probe batch: per-unit variance across samples (n − 1) and E[h²], averaged over units.</summary>
public sealed record ActivationStats(double Variance, double MeanSquare)
{
    /// <summary>
    /// <see cref="Variance"/> after inverted dropout with drop probability <paramref name="p"/>, in expectation over masks:
    /// E[h'] = E[h] and E[h'²] = E[h²] / (1 − p), so Var(h') = Var(h) + p / (1 − p) · E[h²].
    /// </summary>
    public double VarianceAfterDropout(double p) => Variance + p / (1 - p) * MeanSquare;
}
