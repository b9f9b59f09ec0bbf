using System.Globalization;
using System.Text.Json.Nodes;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>
/// The facts notebooks/05 teaches, asserted on the values a quick run computes: its tables (found by their columns), the claim
/// rows shown beside them, and the tensors the blog's own demo prints.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class InvertedDropoutNotebookRunTests(InvertedDropoutQuickRun run) : IClassFixture<InvertedDropoutQuickRun>
{
    static double N(string value) => value == "NaN" ? double.NaN : double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    static double[] Ns(string[] column) => column.Select(N).ToArray();

    /// <summary>The one code cell that showed a table with all of <paramref name="columns"/>.</summary>
    JsonNode CellShowing(string[] columns) =>
        Assert.Single(run.Executed.CodeCells, c => ExecutedNotebook.Tables(c).Any(t => columns.All(t.ContainsKey)));

    /// <summary>The table with all of <paramref name="columns"/>, and the claim rows its cell showed beside it.</summary>
    (Dictionary<string, string[]> Table, IReadOnlyList<ClaimTables.Row> Claims) TableAndClaims(params string[] columns)
    {
        var tables = ExecutedNotebook.Tables(CellShowing(columns));
        return (Assert.Single(tables, t => columns.All(t.ContainsKey)), ClaimTables.Of(tables));
    }

    Dictionary<string, string[]> Table(params string[] columns) => TableAndClaims(columns).Table;

    static readonly string[] Runs = ["TrainedWith", "Seed", "TrainLoss", "TestLoss", "TestAcc"];

    /// <summary>The trained runs' table, row of <paramref name="method"/> at the first seed: (test loss, test acc).</summary>
    (double Loss, double Acc) FirstRun(string method)
    {
        var runs = Table(Runs);
        int i = Array.IndexOf(runs["TrainedWith"], method);
        Assert.True(i >= 0, method);
        return (N(runs["TestLoss"][i]), N(runs["TestAcc"][i]));
    }

    /// <summary>Two values that were each rounded to 4 places agree to that rounding.</summary>
    static void Near(double expected, double actual, double tolerance = 2e-4) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}, got {actual}");

    /// <summary>The claim's interval, high − low: about four standard errors at these sample sizes.</summary>
    static double Width(ClaimTables.Row r) => r.High - r.Low;

    [Fact]
    public void RunsGreenInQuickMode() => Assert.True(run.Result.Status == NotebookStatus.Succeeded, run.Result.Failure);

    [Fact]
    public void EveryVerdictAgreesWithItsInterval()
    {
        var rows = ClaimTables.Of(run.Executed.AllTables);
        Assert.Equal(4 + 2 + 2 + 5 + 4 + 3, rows.Count);   // masks, training, the blog's demo, activations, Monte Carlo, uncertainty
        ClaimTables.AssertVerdictsAgreeWithIntervals(rows);
    }

    [Fact]
    public void KeepProbabilitiesAreOneMinusD2lsDropProbabilities()
    {
        var t = Table("Layer", "DropProb", "KeepProb");
        Assert.Equal([0.2, 0.5], Ns(t["DropProb"]));
        Assert.Equal([0.8, 0.5], Ns(t["KeepProb"]));
    }

    [Fact]
    public void VanillaDropsOrKeepsEachEntryAndScalesAtPredictionInvertedScalesWhileTraining()
    {
        var t = Table("X", "vanilla_train", "vanilla_predict", "inverted_train", "inverted_predict");
        double[] x = Ns(t["X"]), vt = Ns(t["vanilla_train"]), vp = Ns(t["vanilla_predict"]), it = Ns(t["inverted_train"]), ip = Ns(t["inverted_predict"]);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (double)i), x);
        Assert.Equal(x.Select(v => 0.5 * v), vp);                               // × p at prediction
        Assert.Equal(x, ip);                                                     // nothing at prediction
        for (int i = 0; i < 16; i++)
        {
            Assert.True(vt[i] == 0 || vt[i] == x[i], $"vanilla_train of {x[i]}: {vt[i]}");       // dropped, or kept as it is
            Assert.True(it[i] == 0 || it[i] == 2 * x[i], $"inverted_train of {x[i]}: {it[i]}");  // dropped, or kept and divided by p
        }
        Assert.Contains(Enumerable.Range(1, 15), i => vt[i] == 0);
        Assert.Contains(Enumerable.Range(1, 15), i => vt[i] != 0);
        Assert.Contains(Enumerable.Range(1, 15), i => it[i] == 0);
        Assert.Contains(Enumerable.Range(1, 15), i => it[i] != 0);
    }

    [Fact]
    public void EachMethodsTrainingOutputAveragesToItsOwnPredictionWithinItsStandardError()
    {
        var (t, claims) = TableAndClaims("KeepProb", "h", "MeanVanillaTrain", "VanillaPredict", "MeanInvertedTrain", "InvertedPredict");
        double[] keep = Ns(t["KeepProb"]), h = Ns(t["h"]);
        Assert.Equal([0.8, 0.8, 0.8, 0.8, 0.5, 0.5, 0.5, 0.5], keep);
        Assert.Equal(h.Zip(keep, (v, k) => Math.Round(v * k, 4)), Ns(t["VanillaPredict"]));   // vanilla_predict = h · p
        Assert.Equal(h, Ns(t["InvertedPredict"]));                                             // inverted_predict = h
        for (int i = 0; i < h.Length; i++)
        {
            Assert.InRange(N(t["MeanVanillaTrain"][i]) / (h[i] * keep[i]), 0.9, 1.1);
            Assert.InRange(N(t["MeanInvertedTrain"][i]) / h[i], 0.9, 1.1);
        }
        // One claim per method and keep probability: the per-mask ratio output / prediction averages to 1.
        Assert.Equal(4, claims.Count);
        foreach (var c in claims)
        {
            Assert.Equal("within ±0.0500", c.Claimed);
            Assert.True(c.Seeds >= 1000, c.Test);                                          // one value per mask
            Assert.True(Math.Abs(c.Difference) <= Width(c), $"{c.Compared}: {c.Difference} [{c.Low}, {c.High}]");
            Assert.Equal("supported", c.Verdict);
        }
    }

    [Fact]
    public void VanillaAgainstInvertedTrainingIsJudgedOverTheSeedsBothRanAndOneSeedCannotSettleIt()
    {
        var (runs, claims) = TableAndClaims(Runs);
        Assert.Equal(["vanilla dropout", "inverted dropout"], runs["TrainedWith"]);
        Assert.Equal(runs["Seed"][0], runs["Seed"][1]);
        Assert.Equal(["test acc", "test loss"], claims.Select(c => c.Metric));
        Assert.All(claims, c => Assert.Equal("vanilla dropout − inverted dropout", c.Compared));
        Near(N(runs["TestAcc"][0]) - N(runs["TestAcc"][1]), claims[0].Difference);
        Near(N(runs["TestLoss"][0]) - N(runs["TestLoss"][1]), claims[1].Difference);
        Assert.All(claims, c => Assert.True(double.IsNaN(c.Low) && c.Verdict == "not settled", $"{c.Metric}: {c.Verdict}"));   // one seed: no interval
    }

    [Fact]
    public void FoldingKeepProbIntoOutgoingWeightsMakesVanillaAndInvertedTheSameFunction()
    {
        var t = Table("Forward", "Images", "LargestLogit", "MaxDifference", "SameClass", "AccVanillaW", "AccInvertedWPrime");
        Assert.Equal(2, t["Forward"].Length);   // prediction, then the training forward with the same masks
        for (int i = 0; i < 2; i++)
        {
            Assert.InRange(N(t["MaxDifference"][i]), 0, 1e-4);
            Assert.Equal(t["Images"][i], t["SameClass"][i]);
            Assert.Equal(t["AccVanillaW"][i], t["AccInvertedWPrime"][i]);
        }
        Near(FirstRun("vanilla dropout").Acc, N(t["AccVanillaW"][0]));   // prediction with W is the vanilla run's own
    }

    [Fact]
    public void ForgettingVanillasScalingChangesThePredictionsAndMakesThemOverconfident()
    {
        var t = Table("VanillaTrainedWeightsPredicted", "TestLoss", "TestAcc", "MeanConfidence");
        var (loss, acc) = FirstRun("vanilla dropout");
        Near(acc, N(t["TestAcc"][0]));     // the correct row is vanilla's own evaluation
        Near(loss, N(t["TestLoss"][0]));
        Assert.NotEqual(N(t["TestLoss"][0]), N(t["TestLoss"][1]));
        Assert.True(N(t["MeanConfidence"][1]) > N(t["MeanConfidence"][0]), "activations 1/p too large make larger logits");
    }

    [Fact]
    public void TheBlogsDemoPrintsATrainingOutputOfZerosAndTwosAndAnInferenceOutputOfHalves()
    {
        // The one cell that printed two 5×5 tensors: the blog's demo, labels and all.
        var demo = Assert.Single(run.Executed.CodeCells.Select(c => NotebookQuickRun.PrintedTensors(ExecutedNotebook.Stream(c))),
            tensors => tensors.Count == 2 && tensors.All(t => t.Length == 25));
        Assert.All(demo[0], v => Assert.True(v == 0 || v == 2, $"{v}"));
        Assert.Contains(demo[0], v => v == 0);
        Assert.Contains(demo[0], v => v == 2);
        Assert.Equal(Enumerable.Repeat(0.5, 25), demo[1]);
    }

    [Fact]
    public void TheTrainingOutputAveragesToTheInputSoTheBlogsInferenceIsScaledTwice()
    {
        var (t, claims) = TableAndClaims("Output", "MeanEntry", "MinEntry", "MaxEntry");
        double[] mean = Ns(t["MeanEntry"]), min = Ns(t["MinEntry"]), max = Ns(t["MaxEntry"]);
        Assert.Equal(3, mean.Length);   // training averaged over masks, the blog's inference, the fix's
        Assert.InRange(mean[0], 0.95, 1.05);                         // E[x · mask / (1 − p)] = x = 1
        Assert.Equal([0.5, 0.5, 0.5], [mean[1], min[1], max[1]]);    // every entry (1 − p) · x
        Assert.Equal([1.0, 1.0, 1.0], [mean[2], min[2], max[2]]);    // every entry x

        Assert.Equal(2, claims.Count);
        var (blog, fix) = (claims[0], claims[1]);
        Assert.All(claims, c => Assert.Equal("within ±0.0500", c.Claimed));
        Near(mean[0] - 0.5, blog.Difference);
        Assert.Equal("contradicted", blog.Verdict);                  // training averages twice what the blog's inference gives
        Near(mean[0] - 1, fix.Difference);
        Assert.True(Math.Abs(fix.Difference) <= Width(fix), $"{fix.Difference} [{fix.Low}, {fix.High}]");
        Assert.Equal("supported", fix.Verdict);
    }

    [Fact]
    public void TheBlogsEvalShrinksLayerOneByOneMinusPLayerTwoByMoreAndTheFixDoesNot()
    {
        var (t, claims) = TableAndClaims("Layer", "DropP", "TrainMode", "BlogEval", "FixedEval", "BlogOverTrain", "FixedOverTrain", "BlogVsOwnScale");
        Assert.Equal(["1", "2"], t["Layer"]);
        double[] p = Ns(t["DropP"]), blog = Ns(t["BlogOverTrain"]), fix = Ns(t["FixedOverTrain"]);
        Assert.InRange(N(t["BlogVsOwnScale"][0]), 0, 1e-6);        // layer 1, unit by unit: blog eval = (1 − dropout1) · fixed eval
        Assert.InRange(blog[0], 1 - p[0] - 0.02, 1 - p[0] + 0.02);
        Assert.InRange(fix[0], 0.98, 1.02);
        Assert.InRange(blog[1], 0.1, 1 - p[1]);                    // its own (1 − dropout2) and layer 1's shrink
        Assert.InRange(fix[1], 0.8, 1.0);                          // below 1: dropout noise through the ReLU raises the training mean

        Assert.Equal(5, claims.Count);
        Assert.Equal(["H1 mean, eval / train", "H1 mean, eval / train", "H2 mean, eval / train", "H2 mean, eval / train", "H2 mean, eval / train"], claims.Select(c => c.Metric));
        Assert.Equal(["within ±0.0500", "within ±0.0500", "within ±0.0500", "within ±0.0500", "< 0"], claims.Select(c => c.Claimed));
        double[] ratios = [blog[0], fix[0], blog[1], fix[1]];
        for (int i = 0; i < 4; i++) Assert.InRange(claims[i].Difference - (ratios[i] - 1), -0.01, 0.01);   // mean of per-pass ratios vs ratio of means
        Assert.Equal(["contradicted", "supported", "contradicted"], new[] { claims[0], claims[1], claims[2] }.Select(c => c.Verdict));
        Assert.InRange(claims[4].Difference - (blog[1] - (1 - p[1])), -0.01, 0.01);
        Assert.Equal("supported", claims[4].Verdict);
    }

    [Fact]
    public void TheBlogsEvalShrinksTheLogitsAndTheConfidenceAndTheFixIsInvertedDropoutsEval()
    {
        var tables = ExecutedNotebook.Tables(CellShowing(["Inference", "TestLoss", "TestAcc", "MeanConfidence", "LogitSpread"]));
        var rows = Assert.Single(tables, t => t.ContainsKey("Inference"));
        var change = Assert.Single(tables, t => t.ContainsKey("PredictionsChanged"));
        double[] loss = Ns(rows["TestLoss"]), acc = Ns(rows["TestAcc"]), confidence = Ns(rows["MeanConfidence"]), spread = Ns(rows["LogitSpread"]);
        Assert.InRange(spread[0] / spread[1], 0.2, 0.6);
        Near(spread[0] / spread[1], N(change["LogitSpreadBlogOverFixed"][0]), 1e-3);
        Assert.True(confidence[0] < confidence[1], string.Join(", ", confidence));
        Near(acc[1] - acc[0], N(change["TestAccChange"][0]));
        Near(loss[1] - loss[0], N(change["TestLossChange"][0]));
        Assert.InRange(N(change["PredictionsChanged"][0]), 0, N(change["Images"][0]));
        // The fixed module's eval returns x, as InvertedDropout's does: the same numbers as the inverted run.
        var inverted = FirstRun("inverted dropout");
        Near(inverted.Acc, acc[1]);
        Near(inverted.Loss, loss[1]);
    }

    [Fact]
    public void OneStochasticPassIsWorseThanTheDeterministicPassAndEveryPredictionIsTabulated()
    {
        var (t, claims) = TableAndClaims("Prediction", "Seed", "Passes", "TestAcc", "TestNll", "Seconds");
        Assert.Equal(["deterministic (eval, dropout off)", "one stochastic pass (dropout on)", "Monte Carlo dropout (average)",
            "one stochastic pass (dropout on)", "Monte Carlo dropout (average)", "one stochastic pass (dropout on)", "Monte Carlo dropout (average)"], t["Prediction"]);
        Assert.Equal(["", "0", "0", "1", "1", "2", "2"], t["Seed"]);
        Assert.Equal(["1", "1", "5", "1", "5", "1", "5"], t["Passes"]);   // quick mode: T = 5
        double[] acc = Ns(t["TestAcc"]), nll = Ns(t["TestNll"]);
        var inverted = FirstRun("inverted dropout");
        Near(inverted.Acc, acc[0]);      // the deterministic pass is the inverted run's evaluation
        Near(inverted.Loss, nll[0], 1e-3);

        Assert.Equal(["test acc", "test NLL", "test acc", "test NLL"], claims.Select(c => c.Metric));
        Assert.Equal(["< 0", "> 0", "within ±0.0050", "within ±0.0100"], claims.Select(c => c.Claimed));
        Assert.All(claims, c => Assert.Equal("paired t, 3 seeds", c.Test));
        int[] onePass = [1, 3, 5], mc = [2, 4, 6];
        Near(onePass.Average(i => acc[i]) - acc[0], claims[0].Difference);
        Near(onePass.Average(i => nll[i]) - nll[0], claims[1].Difference);
        Near(mc.Average(i => acc[i]) - acc[0], claims[2].Difference);
        Near(mc.Average(i => nll[i]) - nll[0], claims[3].Difference);
        Assert.True(claims[0].Difference < 0 && claims[1].Difference > 0, "one pass with dropout on adds noise: lower accuracy, higher NLL");
    }

    [Fact]
    public void AccuracyFallsFromTheLeastToTheMostUncertainGroup()
    {
        var (t, claims) = TableAndClaims("Group", "EntropyFrom", "EntropyTo", "Images", "Accuracy");
        Assert.Equal(["1", "2", "3", "4", "5"], t["Group"]);
        Assert.All(t["Images"], n => Assert.Equal("200", n));   // quick mode: 1000 test images
        double[] from = Ns(t["EntropyFrom"]), to = Ns(t["EntropyTo"]), acc = Ns(t["Accuracy"]);
        for (int i = 0; i < 5; i++) Assert.True(from[i] <= to[i] && (i == 0 || to[i - 1] <= from[i]), $"group {i + 1}");
        Assert.True(acc[0] > acc[^1] + 0.2, string.Join(", ", acc));

        Assert.Equal(["group 1 − group 5", "wrong − right", "wrong − right"], claims.Select(c => c.Compared));
        Assert.Equal("supported", claims[0].Verdict);   // over the three mask seeds
        Assert.True(claims[1].Difference > 0, "wrong predictions carry the higher entropy");
    }
}
