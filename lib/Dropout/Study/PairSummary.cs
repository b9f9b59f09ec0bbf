using Dropout.Statistics;
using Dropout.Training;

namespace Dropout.Study;

/// <summary>
/// One pair's runs over its seeds. Its statistics (<see cref="TrainLoss"/>, <see cref="TrainAcc"/>,
/// <see cref="TestAcc"/>: the final epoch's, as <see cref="Sample"/>s) are over the runs that did not diverge; the
/// diverged ones are kept beside (<see cref="Diverged"/>), named wherever the pair is shown.
/// </summary>
/// <param name="Pair">The dropout probabilities.</param>
/// <param name="Runs">One run per seed, seeds ascending.</param>
public sealed record PairSummary(DropoutPair Pair, IReadOnlyList<StudyRunResult> Runs)
{
    /// <summary>The seeds, ascending.</summary>
    public IReadOnlyList<long> Seeds => Runs.Select(r => r.Run.Seed).ToList();

    /// <summary>The runs the statistics are over: those that did not diverge.</summary>
    public IReadOnlyList<StudyRunResult> Kept => Runs.Where(r => !r.Diverged).ToList();

    /// <summary>The runs that diverged.</summary>
    public IReadOnlyList<StudyRunResult> Diverged => Runs.Where(r => r.Diverged).ToList();

    /// <summary>Final train loss over the kept runs.</summary>
    /// <exception cref="InvalidOperationException">Every run diverged.</exception>
    public Sample TrainLoss => Final(StudyMetric.TrainLoss);

    /// <summary>Final train accuracy over the kept runs.</summary>
    /// <exception cref="InvalidOperationException">Every run diverged.</exception>
    public Sample TrainAcc => Final(StudyMetric.TrainAcc);

    /// <summary>Final test accuracy over the kept runs.</summary>
    /// <exception cref="InvalidOperationException">Every run diverged.</exception>
    public Sample TestAcc => Final(StudyMetric.TestAcc);

    /// <summary><paramref name="metric"/> in the last epoch of each kept run.</summary>
    /// <exception cref="InvalidOperationException">Every run diverged.</exception>
    public Sample Final(StudyMetric metric) =>
        Kept.Count > 0 ? Sample.Of(Kept.Select(r => metric.Of(r.Final)))
        : throw new InvalidOperationException($"every run of {Pair} diverged; there is nothing to average.");

    /// <summary>d2l's end-of-training check of each run, in seed order.</summary>
    public IReadOnlyList<D2lCheck> Checks => Runs.Select(r => r.History.CheckD2l()).ToList();

    /// <summary>How many runs pass d2l's check.</summary>
    public int D2lPassed => Checks.Count(c => c.Passed);

    /// <summary>"3/3", or "1/3 (fails train_loss)" naming the conditions that failed in some run.</summary>
    public string D2lText
    {
        get
        {
            string text = $"{D2lPassed}/{Runs.Count}";
            var failing = Checks.SelectMany(c => c.Conditions).Where(c => !c.Holds).Select(c => c.Name).Distinct().ToList();
            return failing.Count == 0 ? text : $"{text} (fails {string.Join(", ", failing)})";
        }
    }

    /// <summary>"" when no run diverged, else e.g. "seed 2 diverged at epoch 5: train loss 5.8123 is above epoch 1's 1.0321".</summary>
    public string DivergedText => string.Join("; ", Diverged.Select(r => $"seed {r.Run.Seed} {r.Divergence}"));
}
