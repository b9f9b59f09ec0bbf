namespace Dropout.Exercises;

/// <summary>
/// One layer's activations on a probe batch, summarised: for each unit, the variance of its value across the probe's
/// samples (divided by n − 1) and the mean of its square; both then averaged over the layer's units.
/// </summary>
/// <param name="Variance">Mean over units of the per-unit variance across samples.</param>
/// <param name="MeanSquare">Mean over units of the per-unit mean of h² across samples (E[h²]).</param>
public sealed record ActivationStats(double Variance, double MeanSquare)
{
    /// <summary>
    /// What inverted dropout with drop probability <paramref name="p"/> turns <see cref="Variance"/> into, in
    /// expectation over masks: h' = m·h / (1 − p) with m ~ Bernoulli(1 − p) has E[h'²] = E[h²] / (1 − p) and
    /// E[h'] = E[h], so Var(h') = Var(h) + p / (1 − p) · E[h²].
    /// </summary>
    public double VarianceAfterDropout(double p) => Variance + p / (1 - p) * MeanSquare;
}
