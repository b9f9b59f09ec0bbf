using System.Globalization;
using System.Text.RegularExpressions;
using Dropout.Layers;
using Dropout.Models;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Statistics;
using Dropout.Tests.Runner;
using Dropout.Training;

namespace Dropout.Tests.Notebooks;

public sealed class ExercisesQuickRun : NotebookQuickRun
{
    protected override string Name => "06-dropout-exercises.ipynb";
}

/// <summary>
/// A comparison as <see cref="Comparison.ToString"/> (or <c>ComparisonWording.HigherOrLower</c>) printed it, read back:
/// the verdict it states and the numbers it was judged on.
/// </summary>
sealed record PrintedComparison(string Line, string Kind, string? Winner, string Metric, string First, double FirstMean, string Second, double SecondMean, double Difference, double TwoSe)
{
    static readonly Regex Means = new(@"^(?<a>.+?) (?<ma>-?\d+\.\d+) vs (?<b>.+?) (?<mb>-?\d+\.\d+)$");
    static readonly Regex Clear = new(@"(?<winner>\S.*?) (?<kind>better|higher|lower) on (?<metric>[^:]+): (?<means>.+), by (?<d>\d+\.\d+) > 2·SE (?<se>\d+\.\d+) \(\d+ vs \d+ seeds\)$");
    static readonly Regex NotClear = new(@"no clear difference on (?<metric>[^:]+): (?<means>.+), (?<d>\d+\.\d+) ≤ 2·SE (?<se>\d+\.\d+) \(\d+ vs \d+ seeds\)$");

    static double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>The comparison in <paramref name="line"/> (which may start with a label), or null when it holds none.</summary>
    public static PrintedComparison? Parse(string line)
    {
        var clear = Clear.Match(line);
        var m = clear.Success ? clear : NotClear.Match(line);
        if (!m.Success) return null;
        var means = Means.Match(m.Groups["means"].Value);
        Assert.True(means.Success, $"cannot read the means of: {line}");
        string first = means.Groups["a"].Value, second = means.Groups["b"].Value;
        string? winner = null;
        if (clear.Success)
        {
            // The label before the verdict may contain a colon ("λ = 0.01, dropout vs none: dropout ... better on")
            string w = m.Groups["winner"].Value;
            winner = new[] { first, second }.Where(side => w.EndsWith(side, StringComparison.Ordinal)).OrderByDescending(side => side.Length).FirstOrDefault();
            Assert.True(winner is not null, $"the clearly better side is neither side: {line}");
        }
        return new PrintedComparison(line, clear.Success ? m.Groups["kind"].Value : "no clear difference", winner, m.Groups["metric"].Value,
            first, Number(means.Groups["ma"].Value), second, Number(means.Groups["mb"].Value), Number(m.Groups["d"].Value), Number(m.Groups["se"].Value));
    }

    /// <summary>
    /// The rule, checked on the printed numbers: the difference is the difference of the printed means; a clear verdict iff
    /// it exceeds 2·SE; the side named is the one the metric's direction favours.
    /// </summary>
    public void AssertFollowsTheRule(bool higherIsBetter)
    {
        Assert.True(Math.Abs(Math.Abs(FirstMean - SecondMean) - Difference) <= 0.00011, $"the difference is not that of the means: {Line}");
        // Both printed to 4 decimals: a clear verdict needs D ≥ 2·SE as printed, no clear difference D ≤ 2·SE
        Assert.True(Kind == "no clear difference" ? Difference <= TwoSe : Difference >= TwoSe && Difference > 0, $"the verdict does not follow the rule: {Line}");
        if (Winner is null) return;
        bool firstHigher = FirstMean > SecondMean;
        bool winnerIsFirst = Winner == First;
        bool winnerHigher = winnerIsFirst == firstHigher;
        Assert.True(Kind switch { "better" => winnerHigher == higherIsBetter, "higher" => winnerHigher, "lower" => !winnerHigher, _ => false }, $"the wrong side is named: {Line}");
    }

    /// <summary>The verdict as the notebook's <c>Says(c, firstBetter, secondBetter, noClearDifference)</c> words it.</summary>
    public string Says(string firstBetter, string secondBetter, string noClearDifference) =>
        Winner is null ? noClearDifference : Winner == First ? firstBetter : secondBetter;
}

/// <summary>notebooks/06-dropout-exercises.ipynb, run in quick mode in the real kernel: what it prints, shows and concludes.</summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class ExercisesNotebookTests(ExercisesQuickRun run) : IClassFixture<ExercisesQuickRun>
{
    const string Name = "06-dropout-exercises.ipynb";
    const int QuickSeeds = 2;
    const string Exercise2Table = "wideWithoutDropout }.Select(Row)";
    const string Exercise5Table = "SumSquaredWeights";
    const string Exercise6Table = "withoutDropout, withDropout, dropConnect }.Select(Row)";
    const string Exercise7Table = "withoutDropout, withDropout, gaussianNoise }.Select(Row)";

    static readonly string[] Configurations =
    [
        "dropout 0.2/0.5", "no dropout", "dropout 0.2/0.5, 1024 units", "no dropout, 1024 units",
        "dropout 0.2/0.5, λ 0.001", "no dropout, λ 0.001", "dropout 0.2/0.5, λ 0.01", "no dropout, λ 0.01",
        "DropConnect 0.2/0.5", "Gaussian 0.2/0.5",
    ];

    IReadOnlyList<string> Lines(string fragment) => run.Stdout(fragment).Replace("\r\n", "\n").Split('\n').Where(l => l.Length > 0).ToList();

    List<PrintedComparison> Comparisons(string fragment) => Lines(fragment).Select(PrintedComparison.Parse).OfType<PrintedComparison>().ToList();

    PrintedComparison Find(string fragment, Func<PrintedComparison, bool> which, string what)
    {
        var found = Comparisons(fragment).Where(which).ToList();
        Assert.True(found.Count == 1, $"expected one comparison of {what}, found {found.Count} in:\n{run.Stdout(fragment)}");
        return found[0];
    }

    string Conclusion(string fragment, string start)
    {
        var lines = Lines(fragment).Where(l => l.StartsWith(start, StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"expected one line starting '{start}' in:\n{run.Stdout(fragment)}");
        return lines[0];
    }

    [Fact]
    public void FollowsTheNotebookConventions() => NotebookFile.Load(Name).AssertFollowsConventions();

    [Fact]
    public void MirrorsD2lsSettingAndPointsToWhereExercisesOneAndFourAreAnswered()
    {
        var nb = NotebookFile.Load(Name);
        foreach (string declaration in new[] { "double lr = 0.5;", "int batchSize = 256;", "double dropout1 = 0.2, dropout2 = 0.5;", "int wideHiddens = 1024;", "int seeds = 3;" })
            Assert.Contains(declaration, nb.ParametersSource);
        Assert.Contains("](04-dropout-probability-study.ipynb)", nb.Markdown);
        Assert.Contains("](05-vanilla-vs-inverted-dropout.ipynb)", nb.Markdown);
        foreach (string exercise in new[] { "## Exercise 2", "## Exercise 3", "## Exercise 5", "## Exercise 6", "## Exercise 7" })
            Assert.Contains(exercise, nb.Markdown);
    }

    [Fact]
    public void RunsGreenInQuickMode() => Assert.True(run.Result.Status == NotebookStatus.Succeeded, run.Result.Failure);

    [Fact]
    public void StatesEachRuleOnce()
    {
        Assert.Single(Regex.Matches(run.AllStdout, Regex.Escape(Comparison.Rule)));
        Assert.Single(Regex.Matches(run.AllStdout, Regex.Escape(TrainingDivergence.Rule)));
    }

    [Fact]
    public void TrainsEveryConfigurationFromEverySeedAndKeepsDivergedRunsOutOfTheMeans()
    {
        var runLines = Regex.Matches(run.AllStdout, @"^(?<config>.+), seed (?<seed>\d+): (?<rest>.+)$", RegexOptions.Multiline)
            .Select(m => (Config: m.Groups["config"].Value, Seed: m.Groups["seed"].Value, Diverged: m.Groups["rest"].Value.StartsWith("DIVERGED", StringComparison.Ordinal)))
            .ToList();
        Assert.Equal(Configurations.OrderBy(c => c, StringComparer.Ordinal), runLines.Select(r => r.Config).Distinct().OrderBy(c => c, StringComparer.Ordinal));
        Assert.All(Configurations, c => Assert.Equal(new[] { "0", "1" }, runLines.Where(r => r.Config == c).Select(r => r.Seed)));

        // The tables: one row per configuration, the per-seed values of the runs that did not diverge, the others named
        var rows = new[] { Exercise2Table, Exercise5Table, Exercise6Table, Exercise7Table }
            .SelectMany(f => run.TableRows(f).Select(r => (Header: run.Executed.Table(f)[0], Row: r))).ToList();
        foreach (string config in Configurations)
        {
            var (header, row) = rows.First(r => r.Row.Contains(config));
            string perSeed = row[Array.IndexOf(header, "TestAccPerSeed")], diverged = row[Array.IndexOf(header, "Diverged")];
            var divergedSeeds = runLines.Where(r => r.Config == config && r.Diverged).Select(r => r.Seed).ToList();
            int kept = QuickSeeds - divergedSeeds.Count;
            Assert.Equal(kept, kept == 0 ? 0 : perSeed.Split(',').Length);
            Assert.All(divergedSeeds, s => Assert.Contains($"seed {s}:", diverged));
            if (divergedSeeds.Count == 0) Assert.Equal("none", diverged);
        }
    }

    [Fact]
    public void EveryExerciseShowsATableAndAChartWithErrorBars()
    {
        Assert.Equal(2, run.TableRows("new[] { withDropout, withoutDropout }.Select(Row)").Count);
        Assert.Equal(4, run.TableRows(Exercise2Table).Count);
        Assert.Equal(2, run.TableRows("hiddenLayers.Select(").Count);
        Assert.Equal(6, run.TableRows(Exercise5Table).Count);
        Assert.Equal(3, run.TableRows(Exercise6Table).Count);
        Assert.Equal(3, run.TableRows(Exercise7Table).Count);
        foreach (string chart in new[] { "Exercise 2: generalization gap", "Exercise 3: variance", "Exercise 5: final test accuracy", "Exercise 6: test accuracy", "Exercise 7: test accuracy" })
        {
            var shown = Assert.Single(run.Displays(chart));
            Assert.True(shown.IsChart, $"the cell of '{chart}' showed no chart");
            Assert.Contains("error_y", shown.Data["text/html"]);
        }
    }

    [Fact]
    public void Exercise2ConcludesWhatItsComparisonsSay()
    {
        const string cell = "var gapWide =";
        var comparisons = Comparisons(cell);
        Assert.Equal(5, comparisons.Count);
        var gapWide = Find(cell, c => c.Metric == "final gap" && c.First.Contains("1024 units"), "the wide gaps");
        var accWide = Find(cell, c => c.Metric == "final test acc" && c.First.Contains("1024 units"), "the wide test accuracies");
        var gap256 = Find(cell, c => c.Metric == "final gap" && !c.First.Contains("1024 units"), "the d2l-width gaps");
        var acc256 = Find(cell, c => c.Metric == "final test acc" && !c.First.Contains("1024 units"), "the d2l-width test accuracies");
        var gain = Find(cell, c => c.Metric == "test-acc gain from dropout", "the gains");
        foreach (var c in new[] { gapWide, gap256 }) c.AssertFollowsTheRule(higherIsBetter: false);
        foreach (var c in new[] { accWide, acc256, gain }) c.AssertFollowsTheRule(higherIsBetter: true);
        Assert.StartsWith("dropout", gapWide.First);

        string conclusion = Conclusion(cell, "=> Exercise 2");
        Assert.Contains($"with dropout the generalization gap is {gapWide.Says("clearly smaller than", "clearly larger than", "not clearly different from")} without, " +
            $"and the test accuracy {accWide.Says("clearly higher than", "clearly lower than", "not clearly different from")} without;", conclusion);
        Assert.Contains($"at 256 units the gap with dropout is {gap256.Says("clearly smaller than", "clearly larger than", "not clearly different from")} without, " +
            $"and the test accuracy {acc256.Says("clearly higher than", "clearly lower than", "not clearly different from")} without.", conclusion);
        Assert.Contains($"gain at 1024 units is {gain.Says("clearly larger than", "clearly smaller than", "not clearly different from")} its gain at 256 units.",
            Conclusion(cell, "=> The lecture's claim"));
        Assert.Matches(@"epochs in which the 1024-unit gaps differ clearly: (none|\d+ \((smaller|larger) with dropout\)(, \d+ \((smaller|larger) with dropout\))*) of 2", run.Stdout(cell));
    }

    [Fact]
    public void Exercise3ConcludesWhatItsComparisonsSayAndTheTrainModeVarianceFollowsTheFormula()
    {
        const string cell = "foreach (var l in hiddenLayers)";
        foreach (string layer in new[] { "H1", "H2" })
        {
            var models = Find(cell, c => c.Metric == $"1000 × final eval-mode variance of {layer}", $"the models' {layer} variances");
            models.AssertFollowsTheRule(higherIsBetter: true);
            var trends = Comparisons(cell).Where(c => c.Metric == $"1000 × variance of {layer}").ToList();
            Assert.Equal(2, trends.Count);
            trends.ForEach(t => t.AssertFollowsTheRule(higherIsBetter: true));
            string conclusion = Conclusion(cell, $"=> Exercise 3, {layer}:");
            Assert.Contains($"its eval-mode variance {trends[0].Says("grows clearly", "falls clearly", "shows no clear trend")} (", conclusion);
            Assert.Contains($"with dropout and {trends[1].Says("grows clearly", "falls clearly", "shows no clear trend")} (", conclusion);
            Assert.Contains($"at the end the dropout model's is {models.Says("clearly higher than", "clearly lower than", "not clearly different from")} the other's.", conclusion);
            var ratio = Regex.Match(conclusion, @"measured / predicted (\d+\.\d+) ±");
            Assert.True(ratio.Success, conclusion);
            Assert.InRange(double.Parse(ratio.Groups[1].Value, CultureInfo.InvariantCulture), 0.9, 1.1);
        }
        // The table's last column is the same check
        foreach (var row in run.TableRows("hiddenLayers.Select("))
            Assert.InRange(NotebookQuickRun.Number(row[^1].Split('±')[0]), 0.9, 1.1);
    }

    [Fact]
    public void Exercise5ConcludesWhatItsComparisonsSay()
    {
        const string cell = "var gain = lambdas.ToDictionary(";
        var all = Comparisons(cell);
        all.Where(c => c.Metric == "final test acc").ToList().ForEach(c => c.AssertFollowsTheRule(higherIsBetter: true));
        all.Where(c => c.Metric == "dropout's test-acc gain").ToList().ForEach(c => c.AssertFollowsTheRule(higherIsBetter: true));
        PrintedComparison Labelled(string label) => Find(cell, c => c.Line.StartsWith(label, StringComparison.Ordinal), label);
        var dropoutAlone = Labelled("λ = 0, dropout vs none:");
        foreach (string wd in new[] { "0.001", "0.01" })
        {
            var decayAlone = Labelled($"without dropout, λ = {wd} vs 0:");
            var interaction = Find(cell, c => c.Metric == "dropout's test-acc gain" && c.First == $"gain with λ {wd}", $"the interaction at λ {wd}");
            string conclusion = Conclusion(cell, $"=> Exercise 5, λ = {wd}:");
            var dropoutWithDecay = Labelled($"λ = {wd}, dropout vs none:");
            Assert.Contains($"alone, dropout is {dropoutAlone.Says("clearly better than", "clearly worse than", "not clearly different from")} no regularization " +
                $"and this weight decay is {decayAlone.Says("clearly better than", "clearly worse than", "not clearly different from")} it; " +
                $"with the decay, dropout is {dropoutWithDecay.Says("clearly better than", "clearly worse than", "not clearly different from")} no dropout;", conclusion);
            string together = interaction.Winner is null ? "together, no clear interaction:"
                : interaction.Winner == interaction.First ? "together, more than additive:"
                : interaction.FirstMean > 0 ? "together, diminishing returns:" : "together, worse than additive:";
            Assert.Contains(together, conclusion);
            // "using both ... the better one alone (name)": the comparison printed right after the interaction
            var lines = Lines(cell).ToList();
            var both = PrintedComparison.Parse(lines[lines.IndexOf(interaction.Line) + 1])!;
            both.AssertFollowsTheRule(higherIsBetter: true);
            Assert.EndsWith($"using both is {both.Says("clearly better than", "clearly worse than", "not clearly different from")} the better one alone ({both.Second}).", conclusion);
        }
    }

    [Fact]
    public void Exercise6ShowsDropConnectsMaskAndConcludesWhatItsComparisonsSay()
    {
        string demo = run.Stdout("var dropConnectLayer = new DropConnectLinear(");
        Assert.Contains("same seed, same initial weights as ConciseNet: True", demo);
        Assert.Contains("DropConnect in eval mode equals the plain layer: True", demo);
        var tensors = Regex.Matches(demo, @"\[2x3\].*\n(?<r1>.+)\n(?<r2>.+)\n").Select(m => (m.Groups["r1"].Value.Trim(), m.Groups["r2"].Value.Trim())).ToList();
        Assert.Equal(2, tensors.Count);
        Assert.Equal(tensors[0].Item1, tensors[0].Item2);      // one mask for the minibatch
        Assert.NotEqual(tensors[1].Item1, tensors[1].Item2);   // a mask per image

        const string cell = "var dcVsDropout =";
        var vsDropout = Find(cell, c => c.Metric == "final test acc" && c.Second.StartsWith("dropout", StringComparison.Ordinal), "DropConnect vs dropout");
        var vsNone = Find(cell, c => c.Metric == "final test acc" && c.Second == "no dropout", "DropConnect vs none");
        var loss = Find(cell, c => c.Metric == "final train loss", "the losses");
        vsDropout.AssertFollowsTheRule(true);
        vsNone.AssertFollowsTheRule(true);
        loss.AssertFollowsTheRule(false);
        Assert.Equal($"=> Exercise 6: DropConnect at d2l's probabilities is {vsDropout.Says("clearly better than", "clearly worse than", "not clearly different from")} " +
            $"dropout on the activations in test accuracy, and {vsNone.Says("clearly better than", "clearly worse than", "not clearly different from")} no dropout; " +
            $"its training loss is {loss.Says("clearly lower than", "clearly higher than", "not clearly different from")} dropout's.", Conclusion(cell, "=> Exercise 6"));
    }

    [Fact]
    public void Exercise7MeasuresBothMultipliersAndConcludesWhatItsComparisonsSay()
    {
        foreach (Match m in Regex.Matches(run.Stdout("var million = torch.ones("),
            @"p = (?<p>[\d.]+): p/\(1−p\) = (?<v>[\d.]+); dropout's multiplier: mean (?<dm>[\d.]+), variance (?<dv>[\d.]+), zeros (?<dz>[\d.]+) %; Gaussian: mean (?<gm>[\d.]+), variance (?<gv>[\d.]+), zeros (?<gz>[\d.]+) %"))
        {
            double N(string g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
            Assert.InRange(N("dm"), 0.99, 1.01);
            Assert.InRange(N("gm"), 0.99, 1.01);
            Assert.InRange(N("dv") / N("v"), 0.98, 1.02);
            Assert.InRange(N("gv") / N("v"), 0.98, 1.02);
            Assert.InRange(N("dz"), 100 * N("p") - 1, 100 * N("p") + 1);
            Assert.Equal(0, N("gz"));
        }
        Assert.Equal(2, Regex.Matches(run.Stdout("var million = torch.ones("), "Gaussian: mean").Count);

        const string cell = "var gVsDropout =";
        var vsDropout = Find(cell, c => c.Metric == "final test acc" && c.Second.StartsWith("dropout", StringComparison.Ordinal), "Gaussian vs dropout");
        var vsNone = Find(cell, c => c.Metric == "final test acc" && c.Second == "no dropout", "Gaussian vs none");
        var gap = Find(cell, c => c.Metric == "final gap", "the gaps");
        vsDropout.AssertFollowsTheRule(true);
        vsNone.AssertFollowsTheRule(true);
        gap.AssertFollowsTheRule(false);
        Assert.Equal($"=> Exercise 7: Gaussian dropout is {vsDropout.Says("clearly better than", "clearly worse than", "not clearly different from")} standard dropout " +
            $"in test accuracy (so it {(vsDropout.Winner == vsDropout.First ? "does" : "does not")} outperform it here), " +
            $"{vsNone.Says("clearly better than", "clearly worse than", "not clearly different from")} no dropout, " +
            $"and its gap is {gap.Says("clearly smaller than", "clearly larger than", "not clearly different from")} dropout's.", Conclusion(cell, "=> Exercise 7"));
    }

    [Fact]
    public void TheSummaryRepeatsEveryConclusionAndNamesEveryDivergedRun()
    {
        var sections = run.Executed.CodeCells.Where(c => !ExecutedNotebook.Text(c["source"]).Contains("foreach (string line in conclusions)"))
            .SelectMany(c => ExecutedNotebook.Stream(c).Split('\n')).Where(l => l.StartsWith("=> ", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, sections.Count);   // 2 for exercise 2, 2 for 3 (one per layer), 2 for 5 (one per λ), 1 each for 6 and 7
        var summary = Lines("foreach (string line in conclusions)");
        Assert.Equal(sections, summary.Take(sections.Count));
        var diverged = Regex.Matches(run.AllStdout, @"^(?<config>.+), seed (?<seed>\d+): DIVERGED", RegexOptions.Multiline).ToList();
        string last = summary[^1];
        if (diverged.Count == 0) Assert.Equal("No run diverged.", last);
        else Assert.All(diverged, d => Assert.Contains($"{d.Groups["config"].Value} seed {d.Groups["seed"].Value} (", last));
    }

    [Fact]
    public void SaysWhatTheRunCost()
    {
        string cost = run.Stdout("double totalSeconds =");
        Assert.Matches(@"10 configurations × 2 seeds = 20 runs of \d+ steps each: \d+ s of training in all", cost);
        Assert.Equal(10, run.TableRows("double totalSeconds =").Count);
    }
}
