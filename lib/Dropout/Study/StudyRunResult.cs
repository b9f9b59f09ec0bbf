using Dropout.Training;

namespace Dropout.Study;

/// <summary>One (pair, seed) run of a study: its epochs, and whether it diverged (<see cref="TrainingDivergence.Rule"/>).</summary>
/// <param name="Run">The pair and seed.</param>
/// <param name="History">Its epochs, in order.</param>
public sealed record StudyRunResult(StudyRun Run, TrainingHistory History)
{
    /// <summary>Where the run diverged, or null when it did not.</summary>
    public TrainingDivergence? Divergence { get; } = TrainingDivergence.Find(History);

    /// <summary>True when the run diverged: it is kept out of its pair's means and shown beside them.</summary>
    public bool Diverged => Divergence is not null;

    /// <summary>The run's last epoch.</summary>
    public EpochMetrics Final => History.Final;
}
