using System.Globalization;
using System.Text.RegularExpressions;
using Dropout.Statistics;
using Dropout.Study;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>Notebook 04 as committed: the notebook conventions and the source's training as its parameters.</summary>
public class ProbabilityStudyNotebookTests
{
    [Fact]
    public void FollowsTheNotebookConventionsWithTheSourcesTrainingAsParameters()
    {
        var nb = NotebookFile.Load("04-dropout-probability-study.ipynb");
        nb.AssertFollowsConventions();
        foreach (string p in new[] { "int numEpochs = 10;", "double lr = 0.5;", "int batchSize = 256;", "int numHiddens = 256;", "int seeds = 3;" })
            Assert.Contains(p, nb.ParametersSource);
    }
}

/// <summary>
/// Notebook 04 run once in quick mode in the real kernel, its study written to a results file of its own; the file is
/// then read back and every verdict the notebook printed is recomputed from it by the library.
/// </summary>
public sealed class ProbabilityStudyQuickRun : NotebookQuickRun
{
    public static readonly string ResultsDirectory = Directory.CreateTempSubdirectory("dropout-nb04-").FullName;
    public static string ResultsPath => Path.Combine(ResultsDirectory, "results.csv");

    protected override string Name => "04-dropout-probability-study.ipynb";
    protected override IReadOnlyList<KeyValuePair<string, string>> Parameters =>
        [new("resultsPath", ResultsPath), new("gridResultsPath", Path.Combine(ResultsDirectory, "no-grid.csv"))];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(ResultsDirectory, recursive: true);
    }

    /// <summary>The study the notebook ran, read back from its results file.</summary>
    public StudySummary Study => StudySummary.FromRows(StudyCsv.ReadRows(ResultsPath));
}

[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
public class ProbabilityStudyNotebookRunTests(ProbabilityStudyQuickRun run) : IClassFixture<ProbabilityStudyQuickRun>
{
    static readonly CultureInfo C = CultureInfo.InvariantCulture;

    [Fact]
    public void TheStudyTrainedEveryPlannedRunOnceAndTheCellShowedOneLinePerFinishedRun()
    {
        var study = run.Study;
        Assert.Equal(StudyPlan.DefaultPairs, study.Pairs.Select(p => p.Pair));
        Assert.All(study.Pairs, p => Assert.Equal([0L, 1L], p.Seeds));
        string text = run.Stdout("StudyProcess.Run(");
        Assert.Contains("study: 12 pairs × 2 seeds = 24 runs; 0 already in", text);
        Assert.Equal(24, Regex.Matches(text, @"seed \d/2 epoch 2/2 — ").Count);
        Assert.DoesNotMatch(@"epoch 1/2 — ", text);
        Assert.Contains($"24 runs ready in {ProbabilityStudyQuickRun.ResultsPath}", text);
    }

    [Fact]
    public void EachSourceRunShowsItsCurvesAndItsClaimsWithTheVerdictsTheResultsFileGives()
    {
        var study = run.Study;
        foreach (var source in SourceStudy.Runs)
        {
            string cell = $"ShowRun({source.Number})";
            Assert.Equal(1, ExecutedNotebook.ChartCount(run.Cell(cell)));
            Assert.Contains(source.Observation, run.Stdout(cell));
            var expected = source.Check(study).Select(c => new[] { c.Says, c.VerdictText, c.Evidence }).ToList();
            Assert.Equal(expected, run.TableRows(cell));
            if (study[source.Pair].Diverged.Count > 0) Assert.Contains(study[source.Pair].DivergedText, run.Stdout(cell));
        }
    }

    [Fact]
    public void TheClaimsTableAndItsCountsAgreeWithTheRunSections()
    {
        var study = run.Study;
        var checks = SourceStudy.Runs.SelectMany(r => r.Check(study).Select(c => (r, c))).ToList();
        const string cell = "var claimChecks =";
        Assert.Equal(checks.Select(x => new[] { x.r.Number.ToString(C), x.r.Pair.ToString(), x.c.Says, x.c.VerdictText }), run.TableRows(cell));
        int Count(ClaimVerdict v) => checks.Count(x => x.c.Verdict == v);
        Assert.Contains($"of the source's {checks.Count} claims: {Count(ClaimVerdict.Holds)} hold, {Count(ClaimVerdict.HoldsInPart)} hold in part, " +
            $"{Count(ClaimVerdict.DoesNotHold)} do not hold, {Count(ClaimVerdict.CannotJudge)} cannot be judged", run.Stdout(cell));
    }

    [Fact]
    public void TheThreeConclusionsInTheSourcesOrderGetTheVerdictsTheResultsFileGives()
    {
        var study = run.Study;
        const string cell = "var conclusionChecks =";
        var expected = SourceStudy.Conclusions
            .SelectMany(c => new[] { StudyMetric.TrainLoss, StudyMetric.TestAcc }.Select(m => (c, m, check: c.Check(study, m))))
            .Select(x => new[] { x.c.Number.ToString(C), x.m.Name(), x.check.VerdictText, x.check.Evidence })
            .ToList();
        Assert.Equal(expected, run.TableRows(cell));
        Assert.StartsWith("Neither layer's dropout probability may be too high", SourceStudy.Conclusions[0].Says);
        Assert.StartsWith("This model suits low dropout probabilities", SourceStudy.Conclusions[1].Says);
        Assert.StartsWith("Swapping the two layers' probabilities", SourceStudy.Conclusions[2].Says);
        string takeaway = run.Stdout("foreach (var c in SourceStudy.Conclusions)\n{");
        foreach (var c in SourceStudy.Conclusions)
            Assert.Contains($"{c.Number}. {c.Says}\n   here, over 2 seeds: {expected[2 * (c.Number - 1)][2]} on train loss, {expected[2 * c.Number - 1][2]} on test accuracy.", takeaway.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TheSummaryTableNamesDivergedRunsAndTheChartsAreDrawn()
    {
        var study = run.Study;
        string text = run.Stdout("Console.Write(summary.ToTable());").ReplaceLineEndings("\n");
        Assert.StartsWith(study.ToTable().ReplaceLineEndings("\n"), text);
        Assert.Contains(study.Diverged.Count == 0 ? "no run diverged" : "diverged, left out of the means and charts: ", text);
        foreach (string chart in new[] { "StudyCharts.TestAccuracy(summary)", "StudyCharts.TrainLoss(summary)", "StudyCharts.TrainLossCurves(summary)", "StudyCharts.TestAccuracyHeatmap(gridSummary)" })
            Assert.Equal(1, ExecutedNotebook.ChartCount(run.Cell(chart)));
    }

    [Fact]
    public void TheLossAccuracyReadingFollowsFromTheTwoCorrelationsItPrints()
    {
        var study = run.Study;
        string text = run.Stdout("double rAll = LossAccCorrelation");
        double Printed(string pattern) => double.Parse(Regex.Match(text, pattern).Groups[1].Value, C);
        double rAll = Printed(@"r over all 12 pairs = (-?[\d.]+)"), rLight = Printed(@"\(9 pairs\) = (-?[\d.]+)");

        static double R(IEnumerable<PairSummary> pairs)
        {
            var kept = pairs.Where(p => p.Kept.Count > 0).ToList();
            return Correlation.Pearson(kept.Select(p => p.TrainLoss.Mean).ToList(), kept.Select(p => p.TestAcc.Mean).ToList());
        }
        Assert.Equal(Math.Round(R(study.Pairs), 2), rAll);
        Assert.Equal(Math.Round(R(study.Pairs.Where(p => !SourceStudy.HighPairs.Contains(p.Pair))), 2), rLight);
        string expected = rAll > -0.5 ? "did not go with higher test accuracy" : rLight <= -0.5 ? "the ranking holds among the lighter pairs too" : "carried by the high pairs";
        Assert.Contains(expected, text);
    }

    [Fact]
    public void TheSourcesAssertIsShownOnRunThree()
    {
        string text = run.Stdout("summary.History(new StudyRun(new(0.8, 0.5), plan.Seeds[0])).AssertD2l();");
        bool failed = run.Study.History(new StudyRun(new(0.8, 0.5), 0)).CheckD2l().Passed == false;
        Assert.Contains(failed ? "This is the source's assert failing, as in the source:\nAssertionError: " : "d2l's assert passed in this run", text.ReplaceLineEndings("\n"));
        Assert.Contains($"runs passing d2l's checks: {run.Study[new(0.8, 0.5)].D2lText}", text);
    }
}
