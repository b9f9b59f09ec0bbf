using System.Globalization;
using Dropout.Statistics;
using Dropout.Training;

namespace Dropout.Study;

/// <summary>
/// One thing the source (a learner's answer to d2l's exercise 1, <c>000</c> in the source material) says about one of
/// its runs, in a form that can be checked against a study: a final training loss it read off its curve, or how the run
/// compares with another. Each is judged over the seeds by the project's rules (<see cref="Comparison.Rule"/> for
/// comparisons; <see cref="AboutTolerance"/> for "about x").
/// </summary>
public abstract record SourceClaim
{
    /// <summary>How far a mean may lie from a number the source reads off its single run's curve and still agree with "about x".</summary>
    public const double AboutTolerance = 0.03;

    /// <summary>The claim, in our words.</summary>
    public abstract string Says { get; }

    /// <summary>Judges the claim for <paramref name="pair"/> on <paramref name="study"/>'s numbers.</summary>
    public abstract ClaimCheck Check(StudySummary study, DropoutPair pair);

    static readonly CultureInfo C = CultureInfo.InvariantCulture;

    static string Loss(PairSummary p) => $"final train loss {p.TrainLoss} over {p.Kept.Count} seeds, per seed {p.TrainLoss.ValuesText("0.000")}";

    /// <summary>"The final training loss is about <paramref name="Value"/>": the mean over seeds lies within <see cref="AboutTolerance"/> of it.</summary>
    public sealed record FinalLossAbout(double Value) : SourceClaim
    {
        /// <inheritdoc/>
        public override string Says => $"final training loss about {Value.ToString("0.00", C)}";

        /// <inheritdoc/>
        public override ClaimCheck Check(StudySummary study, DropoutPair pair)
        {
            var p = study[pair];
            if (p.Kept.Count == 0) return new(Says, ClaimVerdict.CannotJudge, "every run diverged");
            double off = Math.Abs(p.TrainLoss.Mean - Value);
            return new(Says, ClaimCheck.Of(off <= AboutTolerance),
                $"{Loss(p)}: {off.ToString("0.000", C)} from {Value.ToString("0.00", C)} ({(off <= AboutTolerance ? "within" : "beyond")} ±{AboutTolerance.ToString("0.00", C)})");
        }
    }

    /// <summary>"The final training loss is below <paramref name="Value"/>" (<paramref name="Below"/>) or above it.</summary>
    public sealed record FinalLossBeyond(double Value, bool Below) : SourceClaim
    {
        /// <inheritdoc/>
        public override string Says => $"final training loss {(Below ? "below" : "above")} {Value.ToString("0.00", C)}";

        /// <inheritdoc/>
        public override ClaimCheck Check(StudySummary study, DropoutPair pair)
        {
            var p = study[pair];
            if (p.Kept.Count == 0) return new(Says, ClaimVerdict.CannotJudge, "every run diverged");
            int agree = p.TrainLoss.Values.Count(v => Below ? v < Value : v > Value);
            return new(Says, ClaimCheck.Of(Below ? p.TrainLoss.Mean < Value : p.TrainLoss.Mean > Value), $"{Loss(p)}; {agree} of {p.Kept.Count} seeds {(Below ? "below" : "above")} it");
        }
    }

    /// <summary>
    /// "Trains better than / worse than / about the same as <paramref name="Other"/>" on each of <paramref name="Metrics"/>
    /// (by default the final training loss, the source's yardstick), by <see cref="Comparison.Rule"/>.
    /// </summary>
    public sealed record ComparedWith(DropoutPair Other, ClaimDirection Direction, params StudyMetric[] Metrics) : SourceClaim
    {
        IReadOnlyList<StudyMetric> Judged => Metrics.Length > 0 ? Metrics : [StudyMetric.TrainLoss];

        /// <inheritdoc/>
        public override string Says => Direction switch
        {
            ClaimDirection.Better => $"better than {Other}",
            ClaimDirection.Worse => $"worse than {Other}",
            _ => $"about the same as {Other}",
        } + $" ({string.Join(", ", Judged.Select(m => m.Name()))})";

        /// <inheritdoc/>
        public override ClaimCheck Check(StudySummary study, DropoutPair pair)
        {
            if (study[pair].Kept.Count == 0 || study[Other].Kept.Count == 0) return new(Says, ClaimVerdict.CannotJudge, "every run of one of the pairs diverged");
            var comparisons = Judged.Select(m => study.Compare(pair, Other, m)).ToList();
            if (comparisons.Any(c => c.Verdict == Verdict.CannotJudge)) return new(Says, ClaimVerdict.CannotJudge, string.Join("; ", comparisons));
            var wanted = Direction switch { ClaimDirection.Better => Verdict.FirstBetter, ClaimDirection.Worse => Verdict.SecondBetter, _ => Verdict.NoClearDifference };
            return new(Says, ClaimCheck.Of(comparisons.All(c => c.Verdict == wanted)), string.Join("; ", comparisons));
        }
    }

    /// <summary>
    /// "The loss falls faster / more slowly than <paramref name="Other"/>'s": the training loss averaged over all epochs
    /// (the area under the curve, per seed) is clearly lower / higher, by <see cref="Comparison.Rule"/>.
    /// </summary>
    public sealed record LossFalls(DropoutPair Other, bool Faster) : SourceClaim
    {
        /// <inheritdoc/>
        public override string Says => $"training loss falls {(Faster ? "faster" : "more slowly")} than {Other}'s";

        /// <inheritdoc/>
        public override ClaimCheck Check(StudySummary study, DropoutPair pair)
        {
            var mine = study[pair].Kept;
            var theirs = study[Other].Kept;
            if (mine.Count == 0 || theirs.Count == 0) return new(Says, ClaimVerdict.CannotJudge, "every run of one of the pairs diverged");
            var c = new Comparison(pair.ToString(), Sample.Of(mine.Select(r => r.History.Average(e => e.TrainLoss))),
                Other.ToString(), Sample.Of(theirs.Select(r => r.History.Average(e => e.TrainLoss))), "train loss averaged over the epochs", HigherIsBetter: false);
            var wanted = Faster ? Verdict.FirstBetter : Verdict.SecondBetter;
            return new(Says, ClaimCheck.Of(c.Verdict == Verdict.CannotJudge ? null : c.Verdict == wanted), c.ToString());
        }
    }

    /// <summary>
    /// "Test accuracy fluctuates (more than <paramref name="Other"/>'s)": the total fall of the test-accuracy curve
    /// (the sum of its drops from one epoch to the next, per seed) is clearly larger, by <see cref="Comparison.Rule"/>.
    /// </summary>
    public sealed record TestAccFluctuates(DropoutPair Other) : SourceClaim
    {
        /// <inheritdoc/>
        public override string Says => $"test accuracy fluctuates more than {Other}'s";

        /// <inheritdoc/>
        public override ClaimCheck Check(StudySummary study, DropoutPair pair)
        {
            var mine = study[pair].Kept;
            var theirs = study[Other].Kept;
            if (mine.Count == 0 || theirs.Count == 0) return new(Says, ClaimVerdict.CannotJudge, "every run of one of the pairs diverged");
            var c = new Comparison(pair.ToString(), Sample.Of(mine.Select(r => TotalFall(r.History))),
                Other.ToString(), Sample.Of(theirs.Select(r => TotalFall(r.History))), "total fall of the test-accuracy curve", HigherIsBetter: false);
            return new(Says, ClaimCheck.Of(c.Verdict == Verdict.CannotJudge ? null : c.Verdict == Verdict.SecondBetter), c.ToString());
        }

        /// <summary>Σ over epochs of how much test accuracy dropped since the epoch before (rises count 0).</summary>
        public static double TotalFall(IReadOnlyList<EpochMetrics> epochs) =>
            epochs.Zip(epochs.Skip(1), (a, b) => Math.Max(0, a.TestAcc - b.TestAcc)).Sum();
    }

    /// <summary>"Test accuracy wobbles at epoch <paramref name="Epoch"/>": it is lower there than the epoch before, in most seeds.</summary>
    public sealed record TestAccDipsAt(int Epoch) : SourceClaim
    {
        /// <inheritdoc/>
        public override string Says => $"a small wobble of test accuracy at epoch {Epoch}";

        /// <inheritdoc/>
        public override ClaimCheck Check(StudySummary study, DropoutPair pair)
        {
            var runs = study[pair].Kept.Where(r => r.History.Count >= Epoch && Epoch >= 2).ToList();
            if (runs.Count == 0) return new(Says, ClaimVerdict.CannotJudge, $"no run reached epoch {Epoch}");
            int dips = runs.Count(r => r.History[Epoch - 1].TestAcc < r.History[Epoch - 2].TestAcc);
            return new(Says, ClaimCheck.Of(2 * dips > runs.Count), $"test acc lower at epoch {Epoch} than at {Epoch - 1} in {dips} of {runs.Count} seeds");
        }
    }

    /// <summary>"The best so far": the lowest mean final training loss of the runs up to it, and clearly below the best before it.</summary>
    public sealed record BestSoFar(IReadOnlyList<DropoutPair> Before) : SourceClaim
    {
        /// <inheritdoc/>
        public override string Says => "the best training so far (lowest final training loss of the runs up to it)";

        /// <inheritdoc/>
        public override ClaimCheck Check(StudySummary study, DropoutPair pair)
        {
            var earlier = Before.Select(study.Find).OfType<PairSummary>().Where(p => p.Kept.Count > 0).ToList();
            if (study[pair].Kept.Count == 0 || earlier.Count == 0) return new(Says, ClaimVerdict.CannotJudge, "nothing to compare with");
            var best = earlier.MinBy(p => p.TrainLoss.Mean)!;
            var c = study.Compare(pair, best.Pair, StudyMetric.TrainLoss);
            return new(Says, ClaimCheck.Of(c.Verdict == Verdict.CannotJudge ? null : c.Verdict == Verdict.FirstBetter), $"best before it: {best.Pair}; {c}");
        }
    }

    /// <summary>"d2l's end-of-training assert fails": <c>assert train_loss &lt; 0.5</c> (or an accuracy check) fails, in most seeds.</summary>
    public sealed record D2lAssertFails : SourceClaim
    {
        /// <inheritdoc/>
        public override string Says => "d2l's end-of-training assert fails (AssertionError)";

        /// <inheritdoc/>
        public override ClaimCheck Check(StudySummary study, DropoutPair pair)
        {
            var p = study[pair];
            int failed = p.Runs.Count - p.D2lPassed;
            return new(Says, ClaimCheck.Of(2 * failed > p.Runs.Count), $"the assert fails in {failed} of {p.Runs.Count} seeds ({p.D2lText})");
        }
    }
}
