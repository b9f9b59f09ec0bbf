using System.Globalization;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

public sealed class ExercisesQuickRun : NotebookQuickRun
{
    protected override string Name => "06-dropout-exercises.ipynb";
}

/// <summary>Notebook 06 with exercises 2 and 3 only and the wide network (the parameters' other settings), in quick mode.</summary>
public sealed class ExercisesSubsetQuickRun : NotebookQuickRun
{
    protected override string Name => "06-dropout-exercises.ipynb";
    protected override IReadOnlyList<KeyValuePair<string, string>> Parameters => [new("allExercises", "false"), new("wide", "true")];
}

/// <summary>What both runs of notebook 06 are checked for: the values it computes, its verdicts' categories, its charts.</summary>
static class ExercisesChecks
{
    public const string Epochs = "Enumerable.Range(1, moreEpochs).Select(epoch => new";
    public const string Exercise2Claims = "ex2Claims.Select(c => c.Row)";
    public const string Exercise3Claims = "ex3Claims.Select(c => c.Row)";
    public const string AllClaims = "allClaims.Select(c => c.Row)";
    public const string Cost = "Configuration = s.Name,";
    public const int QuickSeeds = 4, QuickMoreEpochs = 3;

    static double N(string text) => text == "NaN" ? double.NaN : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static Dictionary<string, string[]> Table(NotebookQuickRun run, string fragment) => Assert.Single(ExecutedNotebook.Tables(run.Cell(fragment)));

    /// <summary>Exercise 2's table: one row per epoch, each gap the difference of the two accuracies beside it.</summary>
    public static void EpochTableHoldsTheGaps(NotebookQuickRun run)
    {
        var t = Table(run, Epochs);
        Assert.Equal(Enumerable.Range(1, QuickMoreEpochs).Select(e => e.ToString(CultureInfo.InvariantCulture)), t["Epoch"]);
        foreach (var side in new[] { "NoDropout", "Dropout" })
            for (int i = 0; i < QuickMoreEpochs; i++)
            {
                double train = N(t[$"{side}TrainAccEval"][i]), test = N(t[$"{side}TestAcc"][i]), gap = N(t[$"{side}Gap"][i]);
                Assert.InRange(train, 0, 1);
                Assert.InRange(gap - (train - test), -2e-4, 2e-4);   // each rounded to 4 places
                Assert.True(N(t[$"{side}TestLoss"][i]) > 0);
            }
    }

    /// <summary>Exercise 2's claims, dropout against none, paired over every seed; the reference checked against d2l's 0.80.</summary>
    public static void Exercise2ClaimsArePairedOverTheSeeds(NotebookQuickRun run)
    {
        var rows = ClaimTables.In(run.Executed, Exercise2Claims).Where(r => !r.IncludesDiverged).ToList();
        Assert.Equal(["gap growth", "gap", "test acc", "test-acc falls", "test acc"], rows.Select(r => r.Metric.Split(',')[0]));
        Assert.Equal(["none − no growth", "dropout − none", "dropout − none", "dropout − none", "dropout − 0.80"], rows.Select(r => r.Compared));
        Assert.Equal(["> 0", "< 0", "> 0", "< 0", "> 0"], rows.Select(r => r.Claimed));
        Assert.All(rows, r => Assert.StartsWith("paired t", r.Test));
        Assert.All(rows, r => Assert.InRange(r.Seeds, 2, QuickSeeds));
    }

    /// <summary>Exercise 3: dropout's noise adds what the formula says to the variance the next layer sees, within a few percent.</summary>
    public static void Exercise3TrainModeVarianceFollowsTheFormula(NotebookQuickRun run)
    {
        var rows = ClaimTables.In(run.Executed, Exercise3Claims);
        var formula = rows.Where(r => r.Compared == "measured − predicted").ToList();
        Assert.Equal(2, formula.Count);
        Assert.All(formula, r => Assert.InRange(r.Difference, -0.1, 0.1));
        Assert.Equal(2, rows.Count(r => r.Compared == "dropout − none" && !r.IncludesDiverged));
    }

    public static void ChartsHaveErrorBars(NotebookQuickRun run, params string[] fragments)
    {
        foreach (string fragment in fragments)
        {
            var chart = Assert.Single(run.Displays(fragment), d => d.IsChart);
            Assert.Contains("error_y", chart.Data["text/html"]);
        }
    }

    /// <summary>No cell shows a bare &lt;null&gt; (a cell whose value is null).</summary>
    public static void NothingShowsNull(NotebookQuickRun run) =>
        Assert.DoesNotContain(run.Executed.CodeCells.SelectMany(c => ExecutedNotebook.Displays(c)),
            d => d.TryGetValue("text/plain", out string? text) && text.Trim() == "<null>");
}

/// <summary>notebooks/06-dropout-exercises.ipynb in quick mode, by default: every exercise.</summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class ExercisesNotebookTests(ExercisesQuickRun run) : IClassFixture<ExercisesQuickRun>
{
    const string Name = "06-dropout-exercises.ipynb";

    [Fact]
    public void FollowsTheNotebookConventions() => NotebookFile.Load(Name).AssertFollowsConventions();

    [Fact]
    public void MirrorsD2lsSettingTrainsLongerForExercise2AndPointsToWhereExercisesOneAndFourAreAnswered()
    {
        var nb = NotebookFile.Load(Name);
        foreach (string declaration in new[] { "int numEpochs = 10;", "double lr = 0.5;", "int batchSize = 256;", "double dropout1 = 0.2, dropout2 = 0.5;",
                     "int moreEpochs = 15;", "int seeds = 4;", "bool allExercises = true;", "int wideHiddens = 1024;" })
            Assert.Contains(declaration, nb.ParametersSource);
        Assert.Contains("](04-dropout-probability-study.ipynb)", nb.Markdown);
        Assert.Contains("](05-vanilla-vs-inverted-dropout.ipynb)", nb.Markdown);
        foreach (string exercise in new[] { "## Exercise 2", "## Exercise 3", "## Exercise 5", "## Exercise 6", "## Exercise 7" })
            Assert.Contains(exercise, nb.Markdown);
    }

    [Fact]
    public void RunsGreenAndShowsNoNull()
    {
        Assert.True(run.Result.Status == NotebookStatus.Succeeded, run.Result.Failure);
        ExercisesChecks.NothingShowsNull(run);
    }

    [Fact]
    public void Exercise2TabulatesEveryEpochsGap() => ExercisesChecks.EpochTableHoldsTheGaps(run);

    [Fact]
    public void Exercise2ClaimsArePairedOverTheSeeds() => ExercisesChecks.Exercise2ClaimsArePairedOverTheSeeds(run);

    [Fact]
    public void Exercise3TrainModeVarianceFollowsTheFormula() => ExercisesChecks.Exercise3TrainModeVarianceFollowsTheFormula(run);

    [Fact]
    public void EveryVerdictAgreesWithItsInterval() => ClaimTables.AssertVerdictsAgreeWithIntervals(ClaimTables.Of(run.Executed.AllTables));

    [Fact]
    public void ExercisesTwoAndThreeShowTheirChartsWithErrorBars() =>
        ExercisesChecks.ChartsHaveErrorBars(run, "ExerciseCharts.Curves($\"Exercise 2", "ExerciseCharts.Curves($\"Exercise 3");

    [Fact]
    public void TrainsEveryConfigurationFromEverySeed()
    {
        var cost = ExercisesChecks.Table(run, ExercisesChecks.Cost);
        Assert.Equal(["dropout", "none", "dropout, λ 0.001", "none, λ 0.001", "DropConnect", "Gaussian"], cost["Configuration"]);
        Assert.All(cost["Runs"], n => Assert.Equal("4", n));
        Assert.Equal(["3", "3", "2", "2", "2", "2"], cost["Epochs"]);
    }

    [Fact]
    public void EachExerciseAnswersWithItsOwnClaimsAndTheSummaryHoldsThemAll()
    {
        var all = ClaimTables.In(run.Executed, ExercisesChecks.AllClaims).Where(r => !r.IncludesDiverged).ToList();
        string[] compared(string fragment) => ClaimTables.In(run.Executed, fragment).Where(r => !r.IncludesDiverged).Select(r => r.Compared).ToArray();
        // Exercise 5: dropout's gain with decay against without (twice: additive, diminishing), then each alone and both
        Assert.Equal(["gain with λ − gain without", "gain with λ − gain without", "dropout − none", "none, λ 0.001 − none", "dropout, λ 0.001 − dropout"],
            compared("display(ex5Claims.Select("));
        Assert.Equal(["DropConnect − dropout", "DropConnect − dropout", "DropConnect − none"], compared("display(ex6Claims.Select("));   // beats, matches dropout; beats none
        Assert.Equal(["Gaussian − dropout", "Gaussian − none"], compared("display(ex7Claims.Select("));
        Assert.Empty(compared("display(wideClaims.Select("));   // the wide net is off by default
        Assert.Equal(5 + 4 + 5 + 3 + 2, all.Count);
        // DropConnect is named as the variant it is, in every claim about it
        Assert.All(all.Where(r => r.Compared.StartsWith("DropConnect", StringComparison.Ordinal)), r => Assert.Contains("one mask per minibatch", r.Claim));
        // Exercises 5-7 read exercise 2's runs after d2l's 10 epochs (quick: 2) and average the same last epochs
        Assert.All(all.Where(r => r.Compared.Contains("Gaussian") || r.Compared.Contains("DropConnect")), r => Assert.Equal("test acc, epoch 2", r.Metric));
    }

    [Fact]
    public void Exercises5To7ShowTheirCharts() =>
        ExercisesChecks.ChartsHaveErrorBars(run, "display(ExerciseCharts.Points(", "display(ExerciseCharts.Curves($\"Exercise 6", "display(ExerciseCharts.Curves($\"Exercise 7");

    [Fact]
    public void GaussianNoiseHasDropoutsMeanAndVarianceAndSilencesNoUnit()
    {
        var t = ExercisesChecks.Table(run, "var million = torch.ones(1_000_000);");
        for (int i = 0; i < 2; i++)
        {
            double p = double.Parse(t["P"][i], CultureInfo.InvariantCulture), target = double.Parse(t["TargetVariance"][i], CultureInfo.InvariantCulture);
            double Col(string name) => double.Parse(t[name][i], CultureInfo.InvariantCulture);
            Assert.InRange(Col("DropoutMean"), 0.99, 1.01);
            Assert.InRange(Col("GaussianMean"), 0.99, 1.01);
            Assert.InRange(Col("DropoutVariance") / target, 0.98, 1.02);
            Assert.InRange(Col("GaussianVariance") / target, 0.98, 1.02);
            Assert.InRange(Col("DropoutZeros"), p - 0.01, p + 0.01);
            Assert.Equal(0, Col("GaussianZeros"));
        }
    }

    [Fact]
    public void DropConnectSharesOneMaskAcrossTheMinibatchAndDropoutDoesNot()
    {
        var printed = NotebookQuickRun.PrintedTensors(run.Stdout("var dropConnectLayer = new DropConnectLinear(16, 3, 0.5, masks);"));
        Assert.Equal(2, printed.Count);
        Assert.Equal(printed[0][..3], printed[0][3..]);
        Assert.NotEqual(printed[1][..3], printed[1][3..]);
    }
}

/// <summary>notebooks/06-dropout-exercises.ipynb in quick mode with exercises 5-7 left out and the wide network on.</summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class ExercisesSubsetNotebookTests(ExercisesSubsetQuickRun run) : IClassFixture<ExercisesSubsetQuickRun>
{
    [Fact]
    public void RunsGreenAndShowsNoNull()
    {
        Assert.True(run.Result.Status == NotebookStatus.Succeeded, run.Result.Failure);
        ExercisesChecks.NothingShowsNull(run);
    }

    [Fact]
    public void EveryVerdictAgreesWithItsInterval() => ClaimTables.AssertVerdictsAgreeWithIntervals(ClaimTables.Of(run.Executed.AllTables));

    [Fact]
    public void TrainsExercisesTwoAndThreeAndTheWideNetOnly()
    {
        var cost = ExercisesChecks.Table(run, ExercisesChecks.Cost);
        Assert.Equal(["dropout", "none", "dropout, 1024 units", "none, 1024 units"], cost["Configuration"]);
        Assert.All(cost["Runs"], n => Assert.Equal("4", n));
        Assert.All(cost["Epochs"], n => Assert.Equal("3", n));
        // The summary repeats exercises 2 and 3's claims and the wide net's, nothing else
        var all = ClaimTables.In(run.Executed, ExercisesChecks.AllClaims);
        var two = ClaimTables.In(run.Executed, ExercisesChecks.Exercise2Claims);
        var wide = ClaimTables.In(run.Executed, "display(wideClaims.Select(");
        var three = ClaimTables.In(run.Executed, ExercisesChecks.Exercise3Claims);
        Assert.Equal(two.Concat(wide).Concat(three), all);
        Assert.Equal(["dropout, 1024 units − none, 1024 units", "dropout, 1024 units − none, 1024 units", "gain at 1024 − gain at 256"],
            wide.Where(r => !r.IncludesDiverged).Select(r => r.Compared));
        Assert.Empty(run.Displays("display(ExerciseCharts.Points("));
    }
}
