using Dropout.Statistics;
using static Dropout.Study.SourceClaim;

namespace Dropout.Study;

/// <summary>
/// The source's answer to d2l's exercise 1 (<c>000</c> in the source material): eleven runs of the concise model, each
/// one pair of dropout probabilities trained once and judged by its curves, then three qualitative conclusions. Here
/// in checkable form: each run's claims (<see cref="SourceRun"/>) and each conclusion (<see cref="SourceConclusion"/>),
/// judged over several seeds by the project's rules. The observations are the source's, in our words.
/// </summary>
public static class SourceStudy
{
    static readonly DropoutPair D25 = new(0.2, 0.5), D58 = new(0.5, 0.8), D85 = new(0.8, 0.5), D52 = new(0.5, 0.2),
        D13 = new(0.1, 0.3), D31 = new(0.3, 0.1), D0205 = new(0.02, 0.05), D22 = new(0.2, 0.2), D0202 = new(0.02, 0.02),
        D44 = new(0.4, 0.4), D66 = new(0.6, 0.6);

    /// <summary>The eleven runs, in the source's order.</summary>
    public static IReadOnlyList<SourceRun> Runs { get; } =
    [
        new(1, D25, "d2l's own setting: a lower probability near the input, a higher one deeper.",
            "The reference run: the final training loss is about 0.35, and every later run is compared with it.",
            [new FinalLossAbout(0.35)]),
        new(2, D58, "Both probabilities higher, the first still lower than the second.",
            "The loss falls more slowly and the test accuracy fluctuates; the final loss, about 0.45, is clearly above 0.35: worse than (0.2, 0.5).",
            [new LossFalls(D25, Faster: false), new TestAccFluctuates(D25), new FinalLossAbout(0.45), new ComparedWith(D25, ClaimDirection.Worse)]),
        new(3, D85, "Both high, the first now higher than the second (the swap of run 2).",
            "The loss falls even more slowly and is still above 0.5 after 10 epochs; d2l's end-of-training assert fails (AssertionError: 0.541...). Very bad.",
            [new LossFalls(D58, Faster: false), new FinalLossBeyond(0.5, Below: false), new D2lAssertFails()]),
        new(4, D52, "Run 1's probabilities swapped.",
            "The loss curve, the training accuracy and the test accuracy are basically the same as before the swap: similar to (0.2, 0.5).",
            [new ComparedWith(D25, ClaimDirection.Similar, StudyMetric.TrainLoss, StudyMetric.TrainAcc, StudyMetric.TestAcc)]),
        new(5, D13, "Both lower, the first lower than the second.",
            "The loss falls faster, both accuracies are stable and high, with a small test-accuracy wobble at epoch 4; the final loss is below 0.35: better than (0.2, 0.5).",
            [new LossFalls(D25, Faster: true), new TestAccDipsAt(4), new FinalLossBeyond(0.35, Below: true), new ComparedWith(D25, ClaimDirection.Better)]),
        new(6, D31, "Run 5's probabilities swapped. (The source's cell for this run forgets net.apply(init_weights), so its weights kept PyTorch's default initialisation; here every run uses init_weights.)",
            "Basically the same as before the swap: similar to (0.1, 0.3).",
            [new ComparedWith(D13, ClaimDirection.Similar, StudyMetric.TrainLoss, StudyMetric.TrainAcc, StudyMetric.TestAcc)]),
        new(7, D0205, "Much lower again, the first lower than the second.",
            "The loss falls much faster again, the accuracies are stable and high; the final loss is about 0.30: the best training so far.",
            [new LossFalls(D13, Faster: true), new FinalLossAbout(0.30), new BestSoFar([D25, D58, D85, D52, D13, D31])]),
        new(8, D22, "Equal probabilities in both layers.",
            "The loss falls faster, stable and high accuracies; the final loss is below 0.35: better than (0.2, 0.5) and similar to (0.1, 0.3), so the two layers may use the same value.",
            [new LossFalls(D25, Faster: true), new FinalLossBeyond(0.35, Below: true), new ComparedWith(D25, ClaimDirection.Better), new ComparedWith(D13, ClaimDirection.Similar)]),
        new(9, D0202, "Equal and tiny.",
            "The loss falls much faster again; the final loss is about 0.30: even better than (0.02, 0.05).",
            [new LossFalls(D22, Faster: true), new FinalLossAbout(0.30), new ComparedWith(D0205, ClaimDirection.Better)]),
        new(10, D44, "Equal and moderate.",
            "The loss falls fairly fast, stable and high accuracies; the final loss is about 0.38, above (0.2, 0.2)'s: slightly worse than (0.2, 0.2) but still good. The source guesses this model suits smaller probabilities.",
            [new FinalLossAbout(0.38), new ComparedWith(D22, ClaimDirection.Worse)]),
        new(11, D66, "Equal and high.",
            "The loss falls more slowly than with (0.4, 0.4); the final loss is about 0.42, above (0.4, 0.4)'s: mediocre.",
            [new LossFalls(D44, Faster: false), new FinalLossAbout(0.42), new ComparedWith(D44, ClaimDirection.Worse)]),
    ];

    /// <summary>The pairs whose probabilities the source calls too high: (0.5, 0.8), (0.8, 0.5), (0.6, 0.6).</summary>
    public static IReadOnlyList<DropoutPair> HighPairs { get; } = [D58, D85, D66];

    /// <summary>The source's swaps: (0.2, 0.5)/(0.5, 0.2), (0.1, 0.3)/(0.3, 0.1), (0.5, 0.8)/(0.8, 0.5).</summary>
    public static IReadOnlyList<(DropoutPair LowerFirst, DropoutPair Swapped)> Swaps { get; } = [(D25, D52), (D13, D31), (D58, D85)];

    /// <summary>The source's three conclusions, in its order.</summary>
    public static IReadOnlyList<SourceConclusion> Conclusions { get; } =
    [
        new(1, "Neither layer's dropout probability may be too high: too high hurts training and keeps the training loss high.", CheckTooHigh),
        new(2, "This model suits low dropout probabilities: of all the runs, both layers at 0.02 trained best.", CheckLowBest),
        new(3, "Swapping the two layers' probabilities, or making them equal, gives basically the same training: the order of the probabilities is not an important factor, their values are.", CheckOrder),
    ];

    /// <summary>Conclusion 1: each too-high pair is clearly worse than d2l's (0.2, 0.5).</summary>
    static ClaimCheck CheckTooHigh(StudySummary study, StudyMetric metric)
    {
        var comparisons = HighPairs.Select(p => study.Compare(p, D25, metric)).ToList();
        if (comparisons.Any(c => c.Verdict == Verdict.CannotJudge)) return new("too-high probabilities train worse", ClaimVerdict.CannotJudge, "one seed: cannot judge");
        int worse = comparisons.Count(c => c.Verdict == Verdict.SecondBetter);
        var verdict = worse == comparisons.Count ? ClaimVerdict.Holds : worse == 0 ? ClaimVerdict.DoesNotHold : ClaimVerdict.HoldsInPart;
        string text = verdict switch
        {
            ClaimVerdict.Holds => $"all {comparisons.Count} high pairs are clearly worse than {D25}",
            ClaimVerdict.DoesNotHold => $"none of the {comparisons.Count} high pairs is clearly worse than {D25}",
            _ => $"only {worse} of the {comparisons.Count} high pairs {(worse == 1 ? "is" : "are")} clearly worse than {D25}",
        };
        return new("too-high probabilities train worse", verdict, $"{text} on {metric.Name()}. " + string.Join("; ", comparisons));
    }

    /// <summary>Conclusion 2: (0.02, 0.02) has the best mean of the source's pairs, and is clearly better than each other pair.</summary>
    static ClaimCheck CheckLowBest(StudySummary study, StudyMetric metric)
    {
        var others = StudyPlan.SourcePairs.Where(p => p != D0202 && study.Find(p) is { Kept.Count: > 0 }).ToList();
        var comparisons = others.Select(p => study.Compare(D0202, p, metric)).ToList();
        if (comparisons.Any(c => c.Verdict == Verdict.CannotJudge)) return new("both at 0.02 train best", ClaimVerdict.CannotJudge, "one seed: cannot judge");
        var best = StudyPlan.SourcePairs.Select(study.Find).OfType<PairSummary>().Where(p => p.Kept.Count > 0)
            .OrderBy(p => metric.HigherIsBetter() ? -p.Final(metric).Mean : p.Final(metric).Mean).First();
        var notClearly = comparisons.Where(c => c.Verdict != Verdict.FirstBetter).ToList();
        var clearlyWorse = comparisons.Where(c => c.Verdict == Verdict.SecondBetter).ToList();
        // Best means better than the others: clearly better than none of them is no evidence for it
        var verdict = clearlyWorse.Count > 0 || notClearly.Count == comparisons.Count ? ClaimVerdict.DoesNotHold
            : notClearly.Count == 0 ? ClaimVerdict.Holds : ClaimVerdict.HoldsInPart;
        string text = verdict switch
        {
            ClaimVerdict.Holds => $"{D0202} has the best mean {metric.Name()} and is clearly better than each of the other {others.Count} pairs",
            ClaimVerdict.DoesNotHold when clearlyWorse.Count > 0 => $"{best.Pair} has the best mean {metric.Name()}, and {D0202} is clearly worse than {string.Join(", ", clearlyWorse.Select(c => c.Second))}",
            ClaimVerdict.DoesNotHold => $"{best.Pair} has the best mean {metric.Name()}, and {D0202} is clearly better than none of the other {others.Count} pairs: every difference is within the noise between seeds",
            _ => $"{best.Pair} has the best mean {metric.Name()}; {D0202} is clearly better than {comparisons.Count - notClearly.Count} of the other {others.Count} pairs " +
                 $"and within the noise of {string.Join(", ", notClearly.Select(c => c.Second))}",
        };
        return new("both at 0.02 train best", verdict, text + ". " + string.Join("; ", comparisons));
    }

    /// <summary>Conclusion 3: no swap makes a clear difference, (0.2, 0.2) is like (0.1, 0.3), and the values matter far more than the order.</summary>
    static ClaimCheck CheckOrder(StudySummary study, StudyMetric metric)
    {
        var swaps = Swaps.Select(s => study.Compare(s.LowerFirst, s.Swapped, metric)).ToList();
        var equal = study.Compare(D22, D13, metric);
        if (swaps.Append(equal).Any(c => c.Verdict == Verdict.CannotJudge)) return new("the order does not matter, the values do", ClaimVerdict.CannotJudge, "one seed: cannot judge");
        int clear = swaps.Count(c => c.Verdict != Verdict.NoClearDifference);
        var means = StudyPlan.SourcePairs.Select(study.Find).OfType<PairSummary>().Where(p => p.Kept.Count > 0).Select(p => p.Final(metric).Mean).ToList();
        double range = means.Max() - means.Min();
        double largestSwap = swaps.Max(c => Math.Abs(c.Difference));
        var verdict = clear == 0 && equal.Verdict == Verdict.NoClearDifference ? ClaimVerdict.Holds
            : clear == swaps.Count ? ClaimVerdict.DoesNotHold : ClaimVerdict.HoldsInPart;
        string text = verdict switch
        {
            ClaimVerdict.Holds => "no swap makes a clear difference, and (0.2, 0.2) is like (0.1, 0.3)",
            ClaimVerdict.DoesNotHold => "every swap makes a clear difference: " + string.Join(", ", swaps.Select(c => $"{c.ClearlyBetter} better than its swap")),
            _ => $"{clear} of the {swaps.Count} swaps {(clear == 1 ? "makes" : "make")} a clear difference" +
                 (clear > 0 ? $" ({string.Join(", ", swaps.Where(c => c.ClearlyBetter is not null).Select(c => $"{c.ClearlyBetter} better than its swap"))})" : "") +
                 (equal.Verdict == Verdict.NoClearDifference ? "; (0.2, 0.2) is like (0.1, 0.3)" : "; (0.2, 0.2) differs clearly from (0.1, 0.3)"),
        };
        return new("the order does not matter, the values do", verdict,
            $"{text}. The largest swap difference, {largestSwap.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}, against the spread of {metric.Name()} over the source's pairs, {range.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}. " +
            string.Join("; ", swaps.Append(equal)));
    }
}
