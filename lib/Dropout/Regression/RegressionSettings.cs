using Dropout.Layers;

namespace Dropout.Regression;

/// <summary>The seed study's settings: the source's sizes, 500 steps and Dropout(0.5), and what the study adds.</summary>
/// <param name="Steps">Full-batch training steps of every variant (source: 500).</param>
/// <param name="NSamples">Points in the training set and in the source's test set (source: 20).</param>
/// <param name="NHidden">Units per hidden layer (source: 300).</param>
/// <param name="DropoutP">Drop probability of the dropout variants (source: Dropout(0.5)).</param>
/// <param name="LargeTestSize">Points of a second test set (ours: 20 test points measure error with a noise of their own).</param>
/// <param name="SmallWeight">A weight with |w| below this counts as near 0.</param>
/// <param name="RecordEvery">Steps between recorded training MSEs, for <see cref="Training.Divergence"/>.</param>
/// <param name="NoiseInputs">Inputs y does not depend on, beside x (ours, for the blog's "L1 is insensitive to noisy
/// inputs"); 0 for the source's data.</param>
public sealed record RegressionSettings(
    int Steps = 500, int NSamples = RegressionDemo.NSamples, int NHidden = RegressionDemo.NHidden, double DropoutP = 0.5,
    int LargeTestSize = 1000, double SmallWeight = 1e-3, int RecordEvery = 50, int NoiseInputs = 0)
{
    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first setting that makes no sense.</summary>
    public void Validate()
    {
        if (Steps < 1) throw Bad(nameof(Steps), Steps, "at least 1");
        if (NSamples < 2) throw Bad(nameof(NSamples), NSamples, "at least 2");
        if (NHidden < 1) throw Bad(nameof(NHidden), NHidden, "at least 1");
        DropoutOps.CheckProbability(DropoutP, nameof(DropoutP));
        if (LargeTestSize < 2) throw Bad(nameof(LargeTestSize), LargeTestSize, "at least 2");
        if (!double.IsFinite(SmallWeight) || SmallWeight <= 0) throw Bad(nameof(SmallWeight), SmallWeight, "a finite number > 0");
        if (RecordEvery < 1) throw Bad(nameof(RecordEvery), RecordEvery, "at least 1");
        if (NoiseInputs < 0) throw Bad(nameof(NoiseInputs), NoiseInputs, "0 or more");
    }

    static ArgumentOutOfRangeException Bad(string name, object value, string expected) =>
        new(name, value, $"the regression setting {name} must be {expected}; got {value}.");
}
