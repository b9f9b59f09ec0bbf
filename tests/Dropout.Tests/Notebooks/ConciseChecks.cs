using System.Globalization;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>
/// What notebooks/02 computes about its runs, checked against itself: the pair table against the epochs the two runs
/// printed, the runs table against the pair, and every claim against the runs table (paired over the seeds both settings
/// kept) and its own interval. Used on every quick run of 02.
/// </summary>
static class ConciseChecks
{
    public const string Training = "var history = D2l.TrainCh3(net,";
    public const string TrainingNoDropout = "var historyNoDropout = D2l.TrainCh3(";
    public const string Pair = "var trainHigherWithout =";
    public const string Seeds = "record SeedResult(";
    public const string Claims = "foreach (var c in claims) Console.WriteLine(c.Answer);";

    const string With = "dropout", Without = "no dropout";

    static double N(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    static Dictionary<string, string[]> Table(NotebookQuickRun run, string fragment) => Assert.Single(ExecutedNotebook.Tables(run.Cell(fragment)));

    /// <summary>Both seed-42 runs train with the live chart of d2l's Animator, and the pair table holds what they printed.</summary>
    public static void PairTableHoldsThePrintedEpochs(NotebookQuickRun run, int epochs)
    {
        var with = PrintedEpochs.Parse(run.Stdout(Training));
        var without = PrintedEpochs.Parse(run.Stdout(TrainingNoDropout));
        Assert.Equal(epochs, with.Count);
        Assert.Equal(epochs, without.Count);
        Assert.Single(run.Displays(Training), d => d.IsChart);   // the Animator's chart, updated in place
        Assert.Single(run.Displays(TrainingNoDropout), d => d.IsChart);
        var pair = Table(run, Pair);
        for (int i = 0; i < epochs; i++)
        {
            Assert.Equal(with[i].TrainAcc, N(pair["TrainAccDropout"][i]), 4);
            Assert.Equal(without[i].TrainAcc, N(pair["TrainAccNoDropout"][i]), 4);
            Assert.Equal(with[i].TestAcc, N(pair["TestAccDropout"][i]), 4);
            Assert.Equal(without[i].TestAcc, N(pair["TestAccNoDropout"][i]), 4);
        }
    }

    /// <summary>
    /// The runs table: both settings from every seed, seed 42's rows the two runs above, each gap train acc (eval) − test
    /// acc, and a run named as diverged exactly when its losses broke the rule (for seed 42, the losses it printed).
    /// </summary>
    public static IReadOnlyList<(string Setting, int Seed, Dictionary<string, double> Values, string Diverged)> RunsTableAgrees(NotebookQuickRun run, int seeds)
    {
        var t = Table(run, Seeds);
        var rows = Enumerable.Range(0, t["Setting"].Length).Select(i => (Setting: t["Setting"][i], Seed: int.Parse(t["Seed"][i], CultureInfo.InvariantCulture),
            Values: new[] { "TrainLoss", "TrainAcc", "TestAcc", "TrainAccEval", "Gap", "TestAccFalls", "PixelNoiseDrop" }.ToDictionary(c => c, c => N(t[c][i])),
            Diverged: t["Diverged"][i])).ToList();
        Assert.Equal(Enumerable.Range(42, seeds).Concat(Enumerable.Range(42, seeds)), rows.Select(r => r.Seed));
        Assert.Equal(Enumerable.Repeat(With, seeds).Concat(Enumerable.Repeat(Without, seeds)), rows.Select(r => r.Setting));
        foreach (var r in rows)
        {
            Assert.InRange(r.Values["Gap"] - (r.Values["TrainAccEval"] - r.Values["TestAcc"]), -2e-4, 2e-4);
            Assert.True(r.Values["TestAccFalls"] >= 0);
        }
        foreach (var (setting, training) in new[] { (With, Training), (Without, TrainingNoDropout) })
        {
            var printed = PrintedEpochs.Parse(run.Stdout(training));
            var row = rows.Single(r => r.Setting == setting && r.Seed == 42);
            Assert.Equal(printed[^1].TestAcc, row.Values["TestAcc"], 4);
            Assert.Equal(printed[^1].TrainLoss, row.Values["TrainLoss"], 4);
            if (PrintedEpochs.Diverged(printed) is bool diverged) Assert.Equal(diverged, row.Diverged != "no");
        }
        return rows;
    }

    /// <summary>
    /// The claims: dropout − no dropout, paired over the seeds both settings kept, each difference the mean of the per-seed
    /// differences in the runs table; with a diverged run, the same claim again with it; every verdict agreeing with its
    /// interval.
    /// </summary>
    public static void ClaimsFollowTheRunsTable(NotebookQuickRun run, int seeds)
    {
        var rows = RunsTableAgrees(run, seeds);
        var claims = ClaimTables.In(run.Executed, Claims);
        ClaimTables.AssertVerdictsAgreeWithIntervals(claims);
        var kept = claims.Where(c => !c.IncludesDiverged).ToList();
        Assert.Equal(["test acc", "train acc", "gap", "test-acc falls", "pixel-noise drop"], kept.Select(c => c.Metric));
        Assert.Equal(["within ±0.0100", "< 0", "< 0", "< 0", "< 0"], kept.Select(c => c.Claimed));
        Assert.All(claims, c => Assert.Equal("dropout − no dropout", c.Compared));
        var shared = Enumerable.Range(42, seeds).Where(s => rows.Where(r => r.Seed == s).All(r => r.Diverged == "no")).ToList();
        var column = new Dictionary<string, string> { ["test acc"] = "TestAcc", ["train acc"] = "TrainAcc", ["gap"] = "Gap", ["test-acc falls"] = "TestAccFalls", ["pixel-noise drop"] = "PixelNoiseDrop" };
        foreach (var c in kept)
        {
            if (shared.Count < 2) break;   // Welch's over what is left: not checked here
            Assert.Equal($"paired t, {shared.Count} seeds", c.Test);
            double mean = shared.Average(s => rows.Single(r => r.Setting == With && r.Seed == s).Values[column[c.Metric]]
                                              - rows.Single(r => r.Setting == Without && r.Seed == s).Values[column[c.Metric]]);
            Assert.InRange(c.Difference - mean, -3e-4, 3e-4);   // the table's values are rounded to 4 places
        }
        bool anyDiverged = rows.Any(r => r.Diverged != "no");
        if (!anyDiverged) Assert.DoesNotContain(claims, c => c.IncludesDiverged);
    }
}
