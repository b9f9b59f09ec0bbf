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

        string channels = Printed("var dropout2d = nn.Dropout2d(dropoutP);");
        var values = Regex.Matches(channels, @"^channel \d: (.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.Split(", ").Select(Cell).ToArray()).ToList();
        Assert.Equal(6, values.Count);
        Assert.All(values, v => Assert.True(v.Distinct().Count() == 1 && (v[0] == 0 || v[0] == 2), string.Join(", ", v)));
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
    public void TheMirrorsLastLossesAreTabulatedForBothNets()
    {
        string last = Printed("double final_ofit = RegressionDemo.EvalLoss(");
        double ofit = Number(last, @"overfitting loss=(\d\.\d{4})"), drop = Number(last, @"dropout loss=(\d\.\d{4})");
        var table = Columns("new[] { (\"net_overfitting\", net_overfitting), (\"net_dropped\", net_dropped) }");
        Assert.Equal(["net_overfitting", "net_dropped"], table["Net"]);
        Assert.Equal([ofit, drop], table["TestLoss"].Select(Cell));
        Assert.All(table["TrainLoss"].Select(Cell), v => Assert.True(v > 0));
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

    const string PerSeed = "var row = new Dictionary<string, object> { [\"Seed\"] = s };";
    const string Summary = "double Stat(string variant, RegressionMetric metric";

    [Fact]
    public void TheStudyRunsEverySeedAndItsSummaryIsTheMeanOfThePerSeedTable()
    {
        var perSeed = Columns(PerSeed);
        Assert.Equal(["1", "2", "3"], perSeed["Seed"]);
        Assert.Equal(11, perSeed.Count);   // the seed and 10 variants
        var summary = Columns(Summary);
        for (int v = 0; v < summary["Variant"].Length; v++)
        {
            string name = summary["Variant"][v];
            var values = perSeed[name].Select(Cell).ToArray();
            Assert.Equal("3", summary["Kept"][v]);
            Assert.Equal("0", summary["Diverged"][v]);
            Assert.Equal(values.Average(), Cell(summary["LargeTestMean"][v]), 3);
            Assert.Equal(values.Order().ElementAt(1), Cell(summary["LargeTestMedian"][v]), 3);
        }
        Assert.Contains("\"type\":\"box\"", Html("RegressionChart.SeedComparison(study, RegressionMetric.LargeTestLoss)"));
    }

    [Fact]
    public void EveryVerdictAgreesWithItsInterval() => ClaimTables.AssertVerdictsAgreeWithIntervals(ClaimTables.Of(run.Executed.AllTables));

    [Theory]
    [InlineData("var claimsA = new[]", 5)]
    [InlineData("var claimsB = new[]", 6)]
    public void TestLossClaimsArePairedOverTheSeedsAndTheirDifferencesComeFromThePerSeedTable(string cell, int count)
    {
        var perSeed = Columns(PerSeed);
        var claims = ClaimTables.In(run.Executed, cell);
        Assert.Equal(count, claims.Count);
        foreach (var c in claims)
        {
            Assert.Equal("test MSE (large test set)", c.Metric);
            Assert.Equal("paired t, 3 seeds", c.Test);
            Assert.Equal("< 0", c.Claimed);   // "beats" and "lowers the test loss": a lower MSE
            var sides = c.Compared.Split(" − ");
            double mean = perSeed[sides[0]].Zip(perSeed[sides[1]]).Average(p => Cell(p.First) - Cell(p.Second));
            Assert.InRange(c.Difference - mean, -2e-4, 2e-4);   // the per-seed table is rounded to 4 places
        }
    }

    [Fact]
    public void SparsityIsJudgedOnTheFractionOfWeightsNearZeroAndTheAdamTableRisesWithItsThreshold()
    {
        var claims = ClaimTables.In(run.Executed, "var claimsC = new[]");
        Assert.Equal(4, claims.Count);
        Assert.All(claims, c => Assert.Equal(("fraction of weights near 0", "> 0"), (c.Metric, c.Claimed)));
        var adam = Columns("var adamL2 = TrainAdam(weightDecay, 0);");
        Assert.Equal(["0.0001", "0.001", "0.003", "0.01"], adam["Threshold"]);
        foreach (var column in new[] { "AdamL2NearZero", "AdamL1NearZero" })
        {
            var fractions = adam[column].Select(Cell).ToArray();
            Assert.Equal(fractions.Order(), fractions);
            Assert.All(fractions, f => Assert.InRange(f, 0, 1));
        }
    }

    [Fact]
    public void NoiseInputsAreJudgedOnTheSensitivityAndTheTestLoss()
    {
        var claims = ClaimTables.In(run.Executed, "var claimsD = new[]");
        Assert.Equal(["prediction change from the noise inputs (RMS)", "prediction change from the noise inputs (RMS)", "test MSE (large test set)"], claims.Select(c => c.Metric));
        Assert.Equal(["SGD L1 0.01, noise inputs − SGD L2 0.01, noise inputs", "SGD L1 0.01, noise inputs − SGD no penalty, noise inputs",
            "SGD L1 0.01, noise inputs − SGD L2 0.01, noise inputs"], claims.Select(c => c.Compared));
        Assert.All(claims, c => Assert.Equal("paired t, 3 seeds", c.Test));
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
        // Every Adam run at lr 100 diverges (dropout or not, with or without a penalty): none is kept.
        var table = run.Executed.Table("double Stat(string variant, RegressionMetric metric");
        int variantColumn = Array.IndexOf(table[0], "Variant"), kept = Array.IndexOf(table[0], "Kept"), diverged = Array.IndexOf(table[0], "Diverged");
        foreach (string variant in new[] { "dropout (lr 100)", "no dropout (lr 100)", "Adam L2 0.001", "Adam L1 0.001" })
            Assert.Equal(("0", "3"), (table.Single(r => r[variantColumn] == variant)[kept], table.Single(r => r[variantColumn] == variant)[diverged]));
        var healthy = table.Single(r => r[variantColumn] == "dropout (lr 0.001)");
        Assert.Equal(("3", "0"), (healthy[kept], healthy[diverged]));
        var perSeed = run.Executed.Table("var row = new Dictionary<string, object> { [\"Seed\"] = s };");
        int dropHigh = Array.IndexOf(perSeed[0], "dropout (lr 100)");
        Assert.All(perSeed.Skip(1), r => Assert.Equal("diverged", r[dropHigh]));

        // No claim about the diverged variant is judged on kept runs: only, when they have values, with them included
        var claims = ClaimTables.Of(run.Executed.AllTables);
        Assert.All(claims.Where(c => c.Compared.Contains("dropout (lr 100)")), c => Assert.True(c.IncludesDiverged, c.Claim));
        ClaimTables.AssertVerdictsAgreeWithIntervals(claims);
        Assert.Contains("diverged runs not shown", Assert.Single(run.Displays("RegressionChart.SeedComparison(study"), d => d.Data.ContainsKey("text/html")).Data["text/html"]);
    }
}
