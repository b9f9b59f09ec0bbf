using System.Globalization;
using Dropout.Statistics;
using Dropout.Training;

namespace Dropout.Study;

/// <summary>One of the source's eleven runs: its pair, the final training loss it read off its curve, and its claims.</summary>
/// <param name="Number">Its place in the source (1–11).</param>
/// <param name="SourceTrainLoss">The final training loss the source reports (null where it gives none).</param>
public sealed record SourceRun(int Number, DropoutPair Pair, double? SourceTrainLoss, Func<StudyResults, IEnumerable<Claim?>> Claims)
{
    /// <summary>"run 2 (0.5, 0.8)".</summary>
    public override string ToString() => $"run {Number} {Pair}";
}

/// <summary>A run of the notebook beside the source's (<see cref="SourceStudy.Beside"/>); NaN where the source gives no number.</summary>
public sealed record BesideRow(string Run, string Pair, double SourceTrainLoss, double TrainLoss, double TrainAcc, double TestAcc, string D2lAssert);

/// <summary>One of the source's three qualitative conclusions (定性结论) and the claims it rests on.</summary>
/// <param name="Number">1, 2 or 3, in the source's order.</param>
/// <param name="Says">The conclusion, in our words.</param>
/// <param name="Claims">What it claims, pair against pair, on train loss (the source's yardstick) and on test accuracy.</param>
/// <param name="Answer">The answer in a few short lines (joined by newlines), with the numbers, from the study's results.</param>
public sealed record SourceConclusion(int Number, string Says, Func<StudyResults, IEnumerable<Claim?>> Claims, Func<StudyResults, string> Answer);

/// <summary>
/// The source's answer to d2l's exercise 1 (<c>000</c> in the source material) in checkable form: eleven runs of the
/// concise model, one pair of dropout probabilities each, trained once and described from their curves; then three
/// conclusions. Every description that can be checked is a <see cref="Claim"/> judged over seeds by the project's rule.
/// </summary>
public static class SourceStudy
{
    /// <summary>"About x": the mean final training loss lies within ± this of x (the source reads two digits off a curve).</summary>
    public const double AboutMargin = 0.03;

    /// <summary>"Basically the same" training loss: within ± this.</summary>
    public const double LossMargin = 0.02;

    /// <summary>"Basically the same" accuracy: within ± this (one percentage point).</summary>
    public const double AccMargin = 0.01;

    static readonly DropoutPair D25 = new(0.2, 0.5), D58 = new(0.5, 0.8), D85 = new(0.8, 0.5), D52 = new(0.5, 0.2),
        D13 = new(0.1, 0.3), D31 = new(0.3, 0.1), D0205 = new(0.02, 0.05), D22 = new(0.2, 0.2), D0202 = new(0.02, 0.02),
        D44 = new(0.4, 0.4), D66 = new(0.6, 0.6);

    static readonly TrainingMetric Loss = TrainingMetric.TrainLoss, TestAcc = TrainingMetric.TestAcc;

    /// <summary>The source's pairs, in its order.</summary>
    public static IReadOnlyList<DropoutPair> Pairs { get; } = [D25, D58, D85, D52, D13, D31, D0205, D22, D0202, D44, D66];

    /// <summary>Ours, not the source's: no dropout at all, the baseline every pair is measured against.</summary>
    public static DropoutPair NoDropout { get; } = new(0, 0);

    /// <summary>The pairs the source calls too high.</summary>
    public static IReadOnlyList<DropoutPair> HighPairs { get; } = [D58, D85, D66];

    /// <summary>The source's swaps, lower probability first.</summary>
    public static IReadOnlyList<(DropoutPair LowerFirst, DropoutPair Swapped)> Swaps { get; } = [(D25, D52), (D13, D31), (D58, D85)];

    /// <summary>The eleven runs, in the source's order, with what it says of each.</summary>
    public static IReadOnlyList<SourceRun> Runs { get; } =
    [
        new(1, D25, 0.35, r => [About(r, D25, 0.35)]),
        new(2, D58, 0.45, r => [FallsSlower(r, D58, D25), Fluctuates(r, D58, D25), About(r, D58, 0.45), Worse(r, D58, D25, Loss)]),
        new(3, D85, 0.541, r => [FallsSlower(r, D85, D58), Above(r, D85, 0.5)]),
        new(4, D52, null, r => [Similar(r, D52, D25, Loss), Similar(r, D52, D25, TrainingMetric.TrainAcc), Similar(r, D52, D25, TestAcc)]),
        new(5, D13, 0.35, r => [FallsFaster(r, D13, D25), WobblesAt(r, D13, 4), Below(r, D13, 0.35), Better(r, D13, D25, Loss)]),
        new(6, D31, null, r => [Similar(r, D31, D13, Loss), Similar(r, D31, D13, TrainingMetric.TrainAcc), Similar(r, D31, D13, TestAcc)]),
        new(7, D0205, 0.30, r => [FallsFaster(r, D0205, D13), About(r, D0205, 0.30), BestSoFar(r, D0205, [D25, D58, D85, D52, D13, D31])]),
        new(8, D22, 0.35, r => [FallsFaster(r, D22, D25), Below(r, D22, 0.35), Better(r, D22, D25, Loss), Similar(r, D22, D13, Loss)]),
        new(9, D0202, 0.30, r => [FallsFaster(r, D0202, D22), About(r, D0202, 0.30), Better(r, D0202, D0205, Loss)]),
        new(10, D44, 0.38, r => [About(r, D44, 0.38), Worse(r, D44, D22, Loss)]),
        new(11, D66, 0.42, r => [FallsSlower(r, D66, D44), About(r, D66, 0.42), Worse(r, D66, D44, Loss)]),
    ];

    /// <summary>The three conclusions, in the source's order, each on train loss and on test accuracy.</summary>
    public static IReadOnlyList<SourceConclusion> Conclusions { get; } =
    [
        new(1, "Neither layer's dropout probability may be too high: too high hurts training and keeps the training loss high.",
            r => OnBoth(m => HighPairs.Select(p => Worse(r, p, D25, m))),
            r => $"Worse than {D25} on train loss: {Named(OnLoss(r, m => HighPairs.Select(p => Worse(r, p, D25, m))))}.\n" +
                 $"Worse than {D25} on test accuracy: {Named(OnAcc(r, m => HighPairs.Select(p => Worse(r, p, D25, m))))}."),
        new(2, "This model suits low dropout probabilities: of all the runs, both layers at 0.02 trained best.",
            r => OnBoth(m => Pairs.Where(p => p != D0202).Select(p => Better(r, D0202, p, m))),
            r => $"{D0202} beats {Count(r, Loss)} of the other 10 pairs on train loss, {Count(r, TestAcc)} on test accuracy.\n" +
                 $"No dropout against it: train loss {Interval(r.Compare(NoDropout, D0202, Loss))}, test accuracy {Interval(r.Compare(NoDropout, D0202, TestAcc))}."),
        new(3, "Swapping the two layers' probabilities, or making them equal, trains basically the same: the order of the probabilities is not an important factor, their values are.",
            r => OnBoth(m => Swaps.Select(s => Similar(r, s.Swapped, s.LowerFirst, m)).Append(Similar(r, D22, D13, m))),
            r => $"Swaps that change the train loss: {Changed(r, Loss)}\nSwaps that change test accuracy: {Changed(r, TestAcc)}"),
    ];

    /// <summary>Ours: is no dropout, (0, 0), worse than d2l's (0.2, 0.5) and the source's best (0.02, 0.02)? On both metrics.</summary>
    public static IEnumerable<Claim?> NoDropoutClaims(StudyResults r) =>
        OnBoth(m => new[] { Worse(r, NoDropout, D25, m), Worse(r, NoDropout, D0202, m) });

    static IEnumerable<Claim> OnLoss(StudyResults r, Func<TrainingMetric, IEnumerable<Claim?>> claims) => claims(Loss).OfType<Claim>();

    static IEnumerable<Claim> OnAcc(StudyResults r, Func<TrainingMetric, IEnumerable<Claim?>> claims) => claims(TestAcc).OfType<Claim>();

    /// <summary>"(0.5, 0.8) and (0.6, 0.6) (not settled: (0.8, 0.5))", or "none (not settled: ...)".</summary>
    static string Named(IEnumerable<Claim> claims)
    {
        var list = claims.ToList();
        string Firsts(Verdict v) => string.Join(", ", list.Where(c => c.Verdict == v).Select(c => c.Evidence.First));
        string supported = Firsts(Verdict.Supported), open = Firsts(Verdict.NotSettled);
        return (supported.Length > 0 ? supported : "none") + (open.Length > 0 ? $" (not settled: {open})" : "");
    }

    /// <summary>How many of the other source pairs (0.02, 0.02) beats on <paramref name="m"/>, and how many beat it.</summary>
    static string Count(StudyResults r, TrainingMetric m)
    {
        var claims = Pairs.Where(p => p != D0202).Select(p => Better(r, D0202, p, m)).OfType<Claim>().ToList();
        int beaten = claims.Count(c => c.Verdict == Verdict.Supported), beating = claims.Count(c => c.Verdict == Verdict.Contradicted);
        return $"{beaten}" + (beating > 0 ? $" (and {beating} beat it)" : "");
    }

    static string Interval(Comparison? c) => c?.IntervalText() ?? "(every run diverged)";

    /// <summary>The swaps whose interval excludes 0 on <paramref name="m"/>, one per line with its difference; "none." when no swap does.</summary>
    static string Changed(StudyResults r, TrainingMetric m)
    {
        var changed = Swaps.Select(s => r.Compare(s.Swapped, s.LowerFirst, m)).OfType<Comparison>().Where(c => c.Better is not null).ToList();
        return changed.Count == 0 ? "none." : string.Concat(changed.Select(c => $"\n  {c.Second} → {c.First}: {c.IntervalText()}"));
    }

    static IEnumerable<Claim?> OnBoth(Func<TrainingMetric, IEnumerable<Claim?>> claims) => claims(Loss).Concat(claims(TestAcc));

    static string F(double v) => v.ToString("0.00###", CultureInfo.InvariantCulture);

    static Claim? Make(string says, Comparison? c, ClaimKind kind, double margin = 0) => c is null ? null : new Claim(says, c, kind, margin);

    static double MarginOf(TrainingMetric m) => m.HigherIsBetter ? AccMargin : LossMargin;

    static string Short(TrainingMetric m) => m == Loss ? "train loss" : m == TestAcc ? "test acc" : m == TrainingMetric.TrainAcc ? "train acc" : m.Name;

    static Claim? About(StudyResults r, DropoutPair p, double value) =>
        Make($"{p}: final train loss about {F(value)}", r.CompareWithValue(p, value, Loss), ClaimKind.Similar, AboutMargin);

    static Claim? Below(StudyResults r, DropoutPair p, double value) =>
        Make($"{p}: final train loss below {F(value)}", r.CompareWithValue(p, value, Loss), ClaimKind.FirstBetter);

    static Claim? Above(StudyResults r, DropoutPair p, double value) =>
        Make($"{p}: final train loss above {F(value)}", r.CompareWithValue(p, value, Loss), ClaimKind.FirstWorse);

    static Claim? Better(StudyResults r, DropoutPair p, DropoutPair other, TrainingMetric m) =>
        Make($"{p} better than {other} ({Short(m)})", r.Compare(p, other, m), ClaimKind.FirstBetter);

    static Claim? Worse(StudyResults r, DropoutPair p, DropoutPair other, TrainingMetric m) =>
        Make($"{p} worse than {other} ({Short(m)})", r.Compare(p, other, m), ClaimKind.FirstWorse);

    static Claim? Similar(StudyResults r, DropoutPair p, DropoutPair other, TrainingMetric m) =>
        Make($"{p} about the same as {other} ({Short(m)}, ±{F(MarginOf(m))})", r.Compare(p, other, m), ClaimKind.Similar, MarginOf(m));

    static Claim? FallsFaster(StudyResults r, DropoutPair p, DropoutPair other) =>
        Make($"{p}: loss falls faster than {other}'s", r.Compare(p, other, TrainingMetric.MeanTrainLoss), ClaimKind.FirstBetter);

    static Claim? FallsSlower(StudyResults r, DropoutPair p, DropoutPair other) =>
        Make($"{p}: loss falls more slowly than {other}'s", r.Compare(p, other, TrainingMetric.MeanTrainLoss), ClaimKind.FirstWorse);

    static Claim? Fluctuates(StudyResults r, DropoutPair p, DropoutPair other) =>
        Make($"{p}: test accuracy fluctuates more than {other}'s", r.Compare(p, other, TrainingMetric.TestAccFalls), ClaimKind.FirstWorse);

    static Claim? WobblesAt(StudyResults r, DropoutPair p, int epoch) =>
        Make($"{p}: test accuracy dips at epoch {epoch}", r.CompareWithValue(p, 0, TrainingMetric.TestAccChangeAt(epoch)), ClaimKind.FirstWorse);

    /// <summary>"The best so far": better than the best (lowest mean final train loss) of the runs before it.</summary>
    static Claim? BestSoFar(StudyResults r, DropoutPair p, IReadOnlyList<DropoutPair> before)
    {
        var best = before.Where(q => !double.IsNaN(r.Mean(q, Loss))).MinBy(q => r.Mean(q, Loss));
        return Make($"{p}: the best so far (better than {best}, the best of runs 1–{before.Count})", r.Compare(p, best, Loss), ClaimKind.FirstBetter);
    }

    /// <summary>This notebook's runs of the source's runs (one seed each) beside the source's final training loss, in order.</summary>
    public static IEnumerable<BesideRow> Beside(params (int Run, TrainingHistory History)[] runs) => runs.Select(r =>
    {
        var source = Runs[r.Run - 1];
        var final = r.History.Final;
        return new BesideRow($"run {r.Run}", source.Pair.ToString(), source.SourceTrainLoss ?? double.NaN,
            Math.Round(final.TrainLoss, 4), Math.Round(final.TrainAcc, 4), Math.Round(final.TestAcc, 4), r.History.CheckD2l().Passed ? "passes" : "fails");
    });

    /// <summary>The source's claims about every run, in order, with the run they belong to.</summary>
    public static IEnumerable<(SourceRun Run, Claim Claim)> RunClaims(StudyResults results) =>
        Runs.SelectMany(run => run.Claims(results).OfType<Claim>().Select(c => (run, c)));
}
