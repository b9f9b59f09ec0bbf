using System.Globalization;
using System.Text.RegularExpressions;
using Dropout.Models;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Regression;
using Dropout.Statistics;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>notebooks/03-regression-overfitting.ipynb: the file's conventions. What it teaches is asserted on its outputs below.</summary>
public class RegressionNotebookTests
{
    internal const string Name = "03-regression-overfitting.ipynb";

    [Fact]
    public void FollowsTheNotebookConventions() => NotebookFile.Load(Name).AssertFollowsConventions();
}

/// <summary>
/// Reads a verdict printed by <see cref="Statistics.Comparison"/>: "A better on M: A 0.1210 vs B 0.1399, by 0.0189 &gt; 2·SE
/// 0.0156 (8 vs 8 seeds)", "no clear difference on M: …, 0.0063 ≤ 2·SE 0.0151 (…)", or "cannot judge on M with one seed: …".
/// </summary>
sealed record PrintedVerdict(string? Winner, string First, double MeanA, string Second, double MeanB, double? Difference, double? TwoSe, int NA, int NB)
{
    static readonly Regex Judged = new(
        @"^(?:(?<winner>.+) better|no clear difference) on (?<metric>[^:]+): (?<a>.+) (?<ma>-?\d+\.\d{4}) vs (?<b>.+) (?<mb>-?\d+\.\d{4}), (?:by )?(?<d>\d+\.\d{4}) (?<op>>|≤) 2·SE (?<se>\d+\.\d{4}) \((?<na>\d+) vs (?<nb>\d+) seeds\)$");
    static readonly Regex OneSeed = new(@"^cannot judge on (?<metric>.+) with one seed: (?<a>.+) (?<ma>-?\d+\.\d{4}) vs (?<b>.+) (?<mb>-?\d+\.\d{4}) \((?<na>\d+) vs (?<nb>\d+) seeds\)$");

    static double D(Match m, string g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);

    public static PrintedVerdict Parse(string text)
    {
        var m = Judged.Match(text.Trim());
        if (m.Success)
        {
            bool better = m.Groups["winner"].Success;
            Assert.Equal(better ? ">" : "≤", m.Groups["op"].Value);
            return new(better ? m.Groups["winner"].Value : null, m.Groups["a"].Value, D(m, "ma"), m.Groups["b"].Value, D(m, "mb"),
                D(m, "d"), D(m, "se"), int.Parse(m.Groups["na"].Value), int.Parse(m.Groups["nb"].Value));
        }
        m = OneSeed.Match(text.Trim());
        Assert.True(m.Success, $"not a verdict of the project's rule: {text}");
        return new(null, m.Groups["a"].Value, D(m, "ma"), m.Groups["b"].Value, D(m, "mb"), null, null, int.Parse(m.Groups["na"].Value), int.Parse(m.Groups["nb"].Value));
    }

    /// <summary>The verdict follows from the numbers printed with it: |difference| against 2·SE, and the winner has the better mean.</summary>
    public void AssertConsistent(bool higherIsBetter)
    {
        if (Difference is not double d) return;
        Assert.True(Math.Abs(Math.Abs(MeanA - MeanB) - d) <= 2e-4, $"|{MeanA} - {MeanB}| is not the printed difference {d}");
        Assert.Equal(d > TwoSe, Winner is not null);
        if (Winner is not null)
            Assert.Equal(Winner, (MeanA > MeanB) == higherIsBetter ? First : Second);
    }
}

[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
public class RegressionNotebookQuickRunTests(RegressionQuickRun run) : IClassFixture<RegressionQuickRun>
{
    string Printed(string fragment) => run.Stdout(fragment).ReplaceLineEndings("\n");

    string Html(string fragment) => Assert.Single(run.Displays(fragment), d => d.Data.ContainsKey("text/html")).Data["text/html"];

    static double Number(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"no match for /{pattern}/ in:\n{text}");
        return double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    static double Cell(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A table the cell showed, as header → column values.</summary>
    Dictionary<string, string[]> Columns(string fragment)
    {
        var table = run.Executed.Table(fragment);
        return table[0].Select((name, i) => (name, i)).ToDictionary(c => c.name, c => table.Skip(1).Select(r => r[c.i]).ToArray());
    }

    [Fact]
    public void RunsGreen() => Assert.True(run.Result.Status == NotebookStatus.Succeeded, run.Result.Failure);

    [Fact]
    public void NnDropoutIsShownToBeInvertedDropoutAndTheVerdictFollowsFromTheTensors()
    {
        string printed = Printed("var evalOut = dropout.forward(ones);");
        var tensors = NotebookQuickRun.PrintedTensors(printed);
        Assert.Equal(2, tensors.Count);
        bool trainIsZeroOrTwo = tensors[0].All(v => v == 0 || v == 2);
        bool evalIsOnes = tensors[1].All(v => v == 1);
        Assert.True(trainIsZeroOrTwo && evalIsOnes, printed);
        Assert.Contains("nn.Dropout is inverted dropout: nothing is multiplied by p at test time", printed);

        string channels = Printed("var dropout2d = nn.Dropout2d(dropoutP);");
        var values = Regex.Matches(channels, @"^channel \d: (.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.Split(", ").Select(Cell).ToArray()).ToList();
        Assert.Equal(6, values.Count);
        Assert.All(values, v => Assert.True(v.Distinct().Count() == 1 && (v[0] == 0 || v[0] == 2), string.Join(", ", v)));
        Assert.Contains("nn.Dropout2d drops whole channels", channels);
    }

    [Fact]
    public void PrintsTheBlogsSizeLineAndBothNetsAsPyTorchDoes()
    {
        Assert.StartsWith("x.size() torch.Size([20, 1])\n", Printed("var x = torch.unsqueeze(torch.linspace(-1, 1, N_SAMPLES), 1);"));
        string printed = Printed("Console.WriteLine(ModuleListing.Describe(net_dropped));");
        Assert.Contains("  (1): Dropout(p=0.5, inplace=False)\n  (2): ReLU()", printed);
        // 1·300 + 300 + 300·300 + 300 + 300·1 + 1
        Assert.Contains("91201 parameters in each net, for 20 training points", printed);
    }

    [Fact]
    public void TakesTheBlogsTenPicturesAtEpochsDivisibleBySnapshotEveryAndTabulatesThem()
    {
        var lines = Printed("var snapshots = new List<RegressionSnapshot>();").Trim().Split('\n');
        Assert.Equal(10, lines.Length);
        var parsed = lines.Select(l => Regex.Match(l, @"^epoch +(\d+) \(after +(\d+) steps\):  overfitting loss=(\d+\.\d{4})   dropout loss=(\d+\.\d{4})$")).ToList();
        Assert.All(parsed, m => Assert.True(m.Success));
        // Quick mode: snapshotEvery = 10, so epochs 0, 10, ..., 90, i.e. after 1, 11, ..., 91 steps (the blog's epoch % 50 == 0 at full size).
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 10 * i), parsed.Select(m => int.Parse(m.Groups[1].Value)));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 10 * i + 1), parsed.Select(m => int.Parse(m.Groups[2].Value)));

        var table = Columns("snapshots.Select((s, i) => new");
        Assert.Equal(parsed.Select(m => m.Groups[3].Value), table["TestLossOverfitting"].Select(v => Cell(v).ToString("F4", CultureInfo.InvariantCulture)));
        Assert.Equal(parsed.Select(m => m.Groups[4].Value), table["TestLossDropout"].Select(v => Cell(v).ToString("F4", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void TheAnimationHasASliderOfTenStepsAndTheGridTheBlogsFourPictures()
    {
        string animation = Html("RegressionChart.Animation(snapshots, points)");
        Assert.Contains("\"sliders\"", animation);
        Assert.Equal(10, Regex.Matches(animation, "\"method\":\"update\"").Count);
        string grid = Html("RegressionChart.Pictures(snapshots, new[] { 1, 4, 7, 10 }, points)");
        foreach (string picture in new[] { "picture 1: after step 1", "picture 4: after step 31", "picture 7: after step 61", "picture 10: after step 91" })
            Assert.Contains(picture, grid);
        Assert.Matches(@"overfitting loss=\d\.\d{4}, dropout loss=\d\.\d{4}", grid);
    }

    [Fact]
    public void TheMirrorNamesNoDivergenceAndItsOneRunComparisonCannotJudgeWithTheTablesNumbers()
    {
        string last = Printed("double final_ofit = RegressionDemo.EvalLoss(");
        Assert.Contains("divergence rule: a regression run diverged when", last);
        Assert.Matches(@"net_overfitting: did not diverge \(training MSE \d\.\d{4} at step 1, \d\.\d{4} at step 100\)", last);
        Assert.Matches(@"net_dropped: did not diverge", last);
        double ofit = Number(last, @"overfitting loss=(\d\.\d{4})"), drop = Number(last, @"dropout loss=(\d\.\d{4})");

        string compared = Printed("Console.WriteLine($\"the project's rule: {Comparison.Rule}\");");
        var verdict = PrintedVerdict.Parse(compared.Split('\n')[1]);
        Assert.Null(verdict.Difference);   // one seed: the rule cannot judge
        Assert.Equal((drop, ofit), (verdict.MeanA, verdict.MeanB));
        var table = Columns("Console.WriteLine($\"the project's rule: {Comparison.Rule}\");");
        Assert.Equal([ofit, drop], table["TestLoss"].Select(Cell));
    }

    [Fact]
    public void WeightDecayIsInTheBlogsSgdStepButNotInThePrintedLoss()
    {
        string printed = Printed("var opt_decayed = BlogSgd(decayed);");
        double plain = Number(printed, @"loss of the plain SGD net:\s+([\d.]+)");
        double decayed = Number(printed, @"loss of the SGD\(weight_decay=0\.001\) net:\s+([\d.]+)");
        double written = Number(printed, @"written out:\s+([\d.]+)");
        Assert.Equal(plain, decayed);
        Assert.True(written > decayed);
        double shift = Number(printed, @"\|w_plain - w_weight_decay\|\s+= ([\d.E+-]+)");
        Assert.Equal(Number(printed, @"lr·λ·max\|w\| = ([\d.E+-]+)"), shift, 6);   // SGD's decay moves the largest weight by lr·λ·|w|
        Assert.True(Number(printed, @"\|w_written_out - w_weight_decay\| = ([\d.E+-]+)") < shift / 10);
        Assert.Contains("the penalty acts inside the optimizer and never shows in the loss", printed);

        var l2 = Printed("var optimizer_l2 = BlogSgd(net_l2);").Trim().Split('\n');
        Assert.Equal(5, l2.Length);
        Assert.All(l2, line => Assert.Matches(@"printed loss \(MSE\) \d\.\d{4}   not printed: λ·½Σw² = \d+\.\d{4}$", line));
    }

    [Fact]
    public void TheL1TermIsPrintedSeparatelyAndItsWeightsAreSparserOnThisSeed()
    {
        var lines = Printed("var loss = LossWithL1(net_l1, mse, l1Lambda);").Trim().Split('\n');
        Assert.Equal(5, lines.Length);
        foreach (string line in lines)
        {
            double mse = Number(line, @"MSE (\d\.\d{4})"), penalty = Number(line, @"Σ\|w\| (\d+\.\d{4})"), loss = Number(line, @"loss (\d+\.\d{4})");
            Assert.Equal(mse + penalty, loss, 3);
        }
        const string cell = "Regularization.SmallWeightFraction(n.Model, smallWeight)";
        var table = Columns(cell);
        Assert.Equal(["starting weights", "SGD, no penalty", "SGD + L2 (weight_decay 0.001)", "SGD + L1 (λ 0.001)"], table["Net"]);
        var nearZero = table["NearZero"].Select(Cell).ToArray();
        Assert.True(nearZero[3] > nearZero[1], $"L1 {nearZero[3]} vs no penalty {nearZero[1]}");
        // The one-line summary printed above the table carries the table's numbers.
        string summary = Printed(cell);
        for (int i = 0; i < 4; i++)
            Assert.Contains($"{table["Net"][i]}: {nearZero[i].ToString("P1", CultureInfo.InvariantCulture)}", summary);
    }

    [Fact]
    public void TheStudyRunsEverySeedAndItsSummaryIsTheMeanOfThePerSeedTable()
    {
        var perSeed = Columns("var row = new Dictionary<string, object> { [\"Seed\"] = s };");
        Assert.Equal(["1", "2", "3"], perSeed["Seed"]);
        Assert.Equal(11, perSeed.Count);   // the seed and 10 variants
        Assert.Contains("no run diverged (30 runs)", Printed("Console.WriteLine(summary.Diverged.Count == 0"));
        var summary = Columns("Console.WriteLine(summary.Diverged.Count == 0");
        for (int v = 0; v < summary["Variant"].Length; v++)
        {
            string name = summary["Variant"][v];
            var values = perSeed[name].Select(Cell).ToArray();
            Assert.Equal("3", summary["Kept"][v]);
            Assert.Equal("0", summary["Diverged"][v]);
            Assert.Equal(values.Average(), Cell(summary["LargeTestMean"][v]), 3);
            Assert.Equal(values.Order().ElementAt(1), Cell(summary["LargeTestMedian"][v]), 3);
        }
        Assert.Contains("\"type\":\"box\"", Html("RegressionChart.SeedComparison(summary, RegressionMetric.LargeTestLoss)"));
    }

    [Theory]
    [InlineData("var blogPair = summary.Compare(dropHigh, noneLow, L);", false, true)]
    [InlineData("var l2VsL1 = summary.Compare(l2Large, l1, L);", false, true)]
    [InlineData("var S = RegressionMetric.SmallWeightFraction;", true, false)]
    public void EveryVerdictFollowsFromItsNumbersAndTheSummaryAndTheSeedCountsFromThePerSeedTable(string cell, bool higherIsBetter, bool onTheLargeTestLoss)
    {
        var perSeed = Columns("var row = new Dictionary<string, object> { [\"Seed\"] = s };");
        var summary = Columns("Console.WriteLine(summary.Diverged.Count == 0");
        var means = summary["Variant"].Zip(summary[onTheLargeTestLoss ? "LargeTestMean" : "NearZeroMean"]).ToDictionary(p => p.First, p => Cell(p.Second));
        var table = Columns(cell);
        Assert.NotEmpty(table["Verdict"]);
        for (int r = 0; r < table["Verdict"].Length; r++)
        {
            var verdict = PrintedVerdict.Parse(table["Verdict"][r]);
            verdict.AssertConsistent(higherIsBetter);
            Assert.Equal((3, 3), (verdict.NA, verdict.NB));
            Assert.Equal(means[verdict.First], verdict.MeanA, 3);
            Assert.Equal(means[verdict.Second], verdict.MeanB, 3);
            var pairs = perSeed[verdict.First].Zip(perSeed[verdict.Second]).Select(p => (A: Cell(p.First), B: Cell(p.Second))).ToList();
            if (onTheLargeTestLoss && pairs.All(p => p.A != p.B))   // the table shows 4 decimals: a tie there says nothing about who was ahead
                Assert.Equal($"{pairs.Count(p => p.A < p.B)} of 3", table["FirstAheadInSeeds"][r]);
        }
    }

    [Fact]
    public void TheReadingsSayWhatTheVerdictTableSays()
    {
        const string cell = "var blogPair = summary.Compare(dropHigh, noneLow, L);";
        var table = Columns(cell);
        var verdicts = table["Verdict"].Select(PrintedVerdict.Parse).ToList();
        string Said(PrintedVerdict v) => v.Winner is { } w ? $"{w} is clearly better" : "no clear difference";
        string printed = Printed(cell);
        Assert.Contains($"the blog's pairing (dropout (lr 0.01) vs no dropout (lr 0.001)): {Said(verdicts[0])}", printed);
        Assert.Contains($"dropout at the same lr 0.001: {Said(verdicts[1])}; at the same lr 0.01: {Said(verdicts[2])}", printed);
        Assert.Contains($"the learning rate alone, without dropout: {Said(verdicts[3])}; with dropout: {Said(verdicts[4])}", printed);
        int dropoutWins = (verdicts[1].Winner == "dropout (lr 0.001)" ? 1 : 0) + (verdicts[2].Winner == "dropout (lr 0.01)" ? 1 : 0);
        if (dropoutWins == 2) Assert.Contains("reading: dropout is clearly better at both learning rates", printed);
        else Assert.DoesNotContain("at both learning rates: its advantage", printed);

        // The λ advice: the reading names exactly the first tries whose verdict row says they beat the net without penalty.
        const string b = "var l2VsL1 = summary.Compare(l2Large, l1, L);";
        var tries = Columns(b)["Verdict"].Take(2).Select(PrintedVerdict.Parse).ToList();
        var helped = tries.Where(v => v.Winner == v.First).Select(v => v.First.Replace("Adam L2 ", "")).ToList();
        string reading = Printed(b).Split('\n').Single(l => l.StartsWith("reading: ", StringComparison.Ordinal) && l.Contains("first tries"));
        if (helped.Count == 0) Assert.Equal("reading: neither of the blog's two first tries clearly lowered the test loss here", reading);
        else Assert.StartsWith($"reading: of the blog's two first tries, weight_decay {string.Join(" and ", helped)} clearly lowered the test loss here", reading);
    }
}

/// <summary>The same notebook with the dropout net's learning rate set to blow up: the runs that diverge are named and kept out.</summary>
public sealed class RegressionDivergingQuickRun : NotebookQuickRun
{
    protected override string Name => RegressionNotebookTests.Name;
    protected override IReadOnlyList<KeyValuePair<string, string>> Parameters => [new("lrDropout", "100")];
}

[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
public class RegressionNotebookDivergenceTests(RegressionDivergingQuickRun run) : IClassFixture<RegressionDivergingQuickRun>
{
    [Fact]
    public void ADivergedRunIsNamedAndKeptOutOfComparisonsAndMeans()
    {
        Assert.True(run.Result.Status == NotebookStatus.Succeeded, run.Result.Failure);
        string mirror = run.Stdout("double final_ofit = RegressionDemo.EvalLoss(");
        Assert.Matches(@"net_dropped: diverged at step \d+: training MSE", mirror);
        Assert.Contains("net_overfitting: did not diverge", mirror);
        Assert.Contains("not compared: a net diverged", run.Stdout("Console.WriteLine($\"the project's rule: {Comparison.Rule}\");"));

        // Every Adam run at lr 100 diverges (dropout or not, with or without a penalty); each is named, seed by seed.
        string named = run.Stdout("Console.WriteLine(summary.Diverged.Count == 0");
        foreach (string variant in new[] { "dropout (lr 100)", "no dropout (lr 100)", "Adam L2 0.001", "Adam L1 0.001" })
            for (int seed = 1; seed <= 3; seed++)
                Assert.Contains($"seed {seed}, {variant}: diverged at step", named);
        var table = run.Executed.Table("Console.WriteLine(summary.Diverged.Count == 0");
        int variantColumn = Array.IndexOf(table[0], "Variant"), kept = Array.IndexOf(table[0], "Kept"), diverged = Array.IndexOf(table[0], "Diverged");
        var row = table.Single(r => r[variantColumn] == "dropout (lr 100)");
        Assert.Equal(("0", "3"), (row[kept], row[diverged]));
        var healthy = table.Single(r => r[variantColumn] == "dropout (lr 0.001)");
        Assert.Equal(("3", "0"), (healthy[kept], healthy[diverged]));

        string readings = run.Stdout("var blogPair = summary.Compare(dropHigh, noneLow, L);");
        Assert.Contains("the blog's pairing (dropout (lr 100) vs no dropout (lr 0.001)): cannot be judged (a side diverged in every seed)", readings);
        Assert.Contains("reading: dropout cannot be compared at both learning rates (diverged runs)", readings);
        var verdicts = run.Executed.Table("var blogPair = summary.Compare(dropHigh, noneLow, L);");
        Assert.Contains(verdicts, r => r[1].StartsWith("cannot judge: dropout (lr 100) or no dropout (lr 0.001) diverged in every seed", StringComparison.Ordinal));
        Assert.Contains("diverged runs not shown", Assert.Single(run.Displays("RegressionChart.SeedComparison(summary"), d => d.Data.ContainsKey("text/html")).Data["text/html"]);
    }
}
