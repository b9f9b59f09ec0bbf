using System.Globalization;

namespace Dropout.Study;

/// <summary>One training run of a study: a pair of dropout probabilities trained from one seed.</summary>
public readonly record struct StudyRun(DropoutPair Pair, long Seed)
{
    /// <summary>"(0.2, 0.5) seed 1".</summary>
    public override string ToString() => $"{Pair} seed {Seed}";
}
