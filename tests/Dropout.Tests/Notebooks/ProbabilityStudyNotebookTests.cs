using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dropout.Study;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>Notebook 04 as committed: the conventions, and the source's eleven runs as cells a learner can rerun.</summary>
public class ProbabilityStudyNotebookTests
{
    static readonly NotebookFile Nb = NotebookFile.Load("04-dropout-probability-study.ipynb");

    /// <summary>The run cells: those that set the two probabilities and train, in order.</summary>
    static IReadOnlyList<string> RunCells => Nb.CodeSources.Where(s => s.Contains("var (dropout1, dropout2) = (", StringComparison.Ordinal)).ToList();

    [Fact]
    public void FollowsTheNotebookConventionsWithTheSourcesTrainingAsParameters()
    {
        Nb.AssertFollowsConventions();
        foreach (string p in new[] { "int numEpochs = 10;", "double lr = 0.5;", "int batchSize = 256;", "int seeds = 3;" })
            Assert.Contains(p, Nb.ParametersSource);
    }

    [Fact]
    public void EachOfTheSourcesRunsIsACellWithItsSequentialTwoDropoutLayersAndTrainCh3InTheSourcesOrder()
    {
        var pairs = RunCells.Select(s => Regex.Match(s, @"var \(dropout1, dropout2\) = \(([\d.]+), ([\d.]+)\);"))
            .Select(m => new DropoutPair(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(SourceStudy.Pairs, pairs);
        Assert.All(RunCells, s =>
        {
            Assert.Contains("nn.Sequential(", s);
            Assert.Contains("nn.Dropout(dropout1)", s);
            Assert.Contains("nn.Dropout(dropout2)", s);
            Assert.Contains("torch.optim.SGD(net.parameters(), lr)", s);
            Assert.Contains("D2l.TrainCh3(net, train_iter, test_iter, loss, numEpochs, trainer)", s);
        });
        // The source's cell for run 6 forgets init_weights; the mirror forgets it too, and says so.
        for (int i = 0; i < RunCells.Count; i++)
            Assert.Equal(i != 5, Regex.IsMatch(RunCells[i], @"^net\.apply\(init_weights\);", RegexOptions.Multiline));
    }

    [Fact]
    public void NoTrainingHappensOutOfSight()
    {
        string all = string.Join("\n", Nb.CodeSources);
        foreach (string hidden in new[] { "Process", "Dropout.Cli", "StudyProcess", "Regex" })
            Assert.DoesNotContain(hidden, all);
    }
}

/// <summary>Notebook 04 run once in quick mode in the real kernel.</summary>
public sealed class ProbabilityStudyQuickRun : NotebookQuickRun
{
    protected override string Name => "04-dropout-probability-study.ipynb";
}

[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
public class ProbabilityStudyNotebookRunTests(ProbabilityStudyQuickRun run) : IClassFixture<ProbabilityStudyQuickRun>
{
    const int QuickEpochs = 2, Seeds = 3;
    static double D(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    IReadOnlyList<JsonNode> RunCells => run.Executed.CodeCells.Where(c => ExecutedNotebook.Text(c["source"]).Contains("var (dropout1, dropout2) = (", StringComparison.Ordinal)).ToList();

    static IReadOnlyList<double[]> Series(string html, string axis) =>
        Regex.Matches(html, $"\"{axis}\":\\[([^\\]]*)\\]").Select(m => m.Groups[1].Value.Split(',').Select(D).ToArray()).ToList();

    /// <summary>The tables whose columns are exactly these, in order of appearance.</summary>
    IReadOnlyList<Dictionary<string, string[]>> TablesWith(params string[] columns) =>
        run.Executed.AllTables.Where(t => t.Keys.SequenceEqual(columns)).ToList();

    static readonly string[] ClaimColumns = ["Claim", "Metric", "Compared", "Claimed", "Difference", "Low95", "High95", "Test", "Verdict", "SeedsToSettle"];

    [Fact]
    public void EachRunCellDrawsOneChartThatEndsWithEveryEpochAndPrintsEachEpoch()
    {
        Assert.Equal(11, RunCells.Count);
        foreach (var cell in RunCells)
        {
            var charts = ExecutedNotebook.Displays(cell).Select(d => d.GetValueOrDefault("text/html") ?? "").Where(h => h.Contains("\"x\":[", StringComparison.Ordinal)).ToList();
            string chart = Assert.Single(charts);   // updated in place: the final picture only
            Assert.All(Series(chart, "x"), x => Assert.Equal(Enumerable.Range(1, QuickEpochs).Select(e => (double)e), x));
            var lines = ExecutedNotebook.Stream(cell).Split('\n').Where(l => l.StartsWith("epoch ", StringComparison.Ordinal)).ToList();
            Assert.Equal(QuickEpochs, lines.Count);
            double printedLoss = D(Regex.Match(lines[^1], @"train loss ([\d.]+)").Groups[1].Value);
            Assert.Equal(printedLoss, Series(chart, "y")[0][^1], 4);
        }
    }

    [Fact]
    public void TheRunsBesideTheSourceShowEachRunsFinalNumbersAndTheSourcesLoss()
    {
        var beside = TablesWith("Run", "Pair", "SourceTrainLoss", "TrainLoss", "TrainAcc", "TestAcc", "D2lAssert");
        Assert.Equal(11, beside.Count);
        for (int n = 1; n <= 11; n++)
        {
            var table = beside[n - 1];
            Assert.Equal($"run {n}", table["Run"][0]);
            Assert.Equal(SourceStudy.Runs[n - 1].Pair.ToString(), table["Pair"][0]);
            double series = Series(ExecutedNotebook.Displays(RunCells[n - 1]).Select(d => d.GetValueOrDefault("text/html") ?? "").Single(h => h.Contains("\"x\":[", StringComparison.Ordinal)), "y")[0][^1];
            Assert.Equal(Math.Round(series, 4), D(table["TrainLoss"][0]), 4);
            if (SourceStudy.Runs[n - 1].SourceTrainLoss is double source) Assert.Equal(source, D(table["SourceTrainLoss"][0]));
        }
    }

    [Fact]
    public void EveryPairIsTrainedOverEverySeedAndTheLoopGivesTheRunCellsNumbers()
    {
        var pairs = Assert.Single(TablesWith("Pair", "Seeds", "Diverged", "TrainLoss", "TrainLossStd", "TrainAcc", "TestAcc", "TestAccStd", "D2lCheckPassed"));
        Assert.Equal(SourceStudy.Pairs.Append(SourceStudy.NoDropout).Select(p => p.ToString()), pairs["Pair"]);
        Assert.All(pairs["Seeds"].Zip(pairs["Diverged"]), x => Assert.Equal(Seeds, int.Parse(x.First) + int.Parse(x.Second)));
        Assert.Contains("gives run 1's numbers in every epoch: True", run.AllStdout);
        Assert.Equal(12 * Seeds, run.AllStdout.Split('\n').Count(l => Regex.IsMatch(l, @"^\d+/36 \(")));
    }

    [Fact]
    public void EveryVerdictAgreesWithItsInterval()
    {
        var claimTables = TablesWith(ClaimColumns);
        Assert.True(claimTables.Count >= 5, $"{claimTables.Count} claim tables");
        foreach (var t in claimTables)
            for (int i = 0; i < t["Verdict"].Length; i++)
            {
                double low = D(t["Low95"][i]), high = D(t["High95"][i]);
                string claimed = t["Claimed"][i];
                string expected = double.IsNaN(low) ? "not settled"
                    : claimed == "> 0" ? (low > 0 ? "supported" : high < 0 ? "contradicted" : "not settled")
                    : claimed == "< 0" ? (high < 0 ? "supported" : low > 0 ? "contradicted" : "not settled")
                    : Within(D(claimed.Replace("within ±", "")), low, high);
                Assert.Equal(expected, t["Verdict"][i]);
                Assert.InRange(D(t["Difference"][i]), low - 1e-4, high + 1e-4);
                if (t["Verdict"][i] != "not settled") Assert.Equal("", t["SeedsToSettle"][i]);
            }

        static string Within(double m, double low, double high) =>
            low > -m && high < m ? "supported" : low > m || high < -m ? "contradicted" : "not settled";
    }

    [Fact]
    public void TheRunClaimsAreTheSourcesInItsOrderAndTheConclusionsEachHaveClaimsOnBothMetrics()
    {
        var tables = TablesWith(ClaimColumns);
        var runClaims = tables[0];
        var numbers = runClaims["Claim"].Select(c => int.Parse(Regex.Match(c, @"^run (\d+):").Groups[1].Value)).ToList();
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(Enumerable.Range(1, 11), numbers.Distinct());
        var conclusions = tables.Skip(1).Take(3).ToList();
        Assert.Equal([6, 20, 8], conclusions.Select(t => t["Claim"].Length));
        Assert.All(conclusions, t => Assert.Equal(["final test acc", "final train loss"], t["Metric"].Distinct().Order()));
        var noDropout = tables[4];
        Assert.Equal(4, noDropout["Claim"].Length);
        Assert.All(noDropout["Claim"], c => Assert.StartsWith("(0, 0) worse than", c));
    }

    [Fact]
    public void TheCorrelationIsOverTheSourcesPairsWithItsIntervalThenWithoutTheExtremePair()
    {
        var lines = Regex.Matches(run.AllStdout, @"r = (-?[\d.]+), 95 % interval \[(-?[\d.]+), (-?[\d.]+)\], over the source's pairs[^\n]*?\((\d+) pairs\)");
        Assert.Equal([11, 10], lines.Select(m => int.Parse(m.Groups[4].Value)));
        foreach (Match m in lines)
        {
            double r = D(m.Groups[1].Value), low = D(m.Groups[2].Value), high = D(m.Groups[3].Value);
            Assert.InRange(r, low, high);
            Assert.InRange(low, -1, 1);
            Assert.InRange(high, -1, 1);
        }
    }

    [Fact]
    public void EveryTableIsWholeInTheNotebookAndItsPage()
    {
        foreach (var cell in run.Executed.CodeCells)
            foreach (var d in ExecutedNotebook.Displays(cell).Where(d => d.ContainsKey("text/csv")))
                Assert.DoesNotMatch(@"\(\d+ more\)", d["text/html"]);
        Assert.DoesNotMatch(@"\(\d+ more\)", File.ReadAllText(run.Result.Html!));
    }

    [Fact]
    public void TheForestPlotsAreDrawnAndNoCellFailed()
    {
        Assert.Empty(run.Executed.CodeCells.SelectMany(ExecutedNotebook.Errors));
        int forests = run.Executed.CodeCells.Count(c => ExecutedNotebook.Text(c["source"]).Contains("ForestPlot.Create(", StringComparison.Ordinal) && ExecutedNotebook.ChartCount(c) == 1);
        Assert.Equal(2, forests);
    }
}
