using System.Globalization;
using System.Text.RegularExpressions;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>
/// notebooks/03-regression-overfitting.ipynb: its shape and the source's defaults, read from the file.
/// The facts it teaches are asserted on the library in RegressionDemoTests, RegularizationTests and
/// RegressionStudyTests, and on the outputs of a quick run in <see cref="RegressionNotebookQuickRunTests"/>.
/// </summary>
public class RegressionNotebookTests
{
    internal const string Name = "03-regression-overfitting.ipynb";

    static NotebookFile Notebook => NotebookFile.Load(Name);

    [Fact]
    public void FollowsTheNotebookConventions() => Notebook.AssertFollowsConventions();

    [Fact]
    public void ParametersAreMorvansOriginal()
    {
        string parameters = Notebook.ParametersSource;
        foreach (string line in new[]
        {
            "int N_SAMPLES = 20;", "int N_HIDDEN = 300;", "int steps = 500;", "int snapshotEvery = 50;",
            "double lrOverfitting = 0.01;", "double lrDropout = 0.01;", "double dropoutP = 0.5;", "int seeds = 20;",
        })
            Assert.Contains(line, parameters);
        // The blog's copy differs: the notebook says so and lets the parameter switch it.
        Assert.Contains("lrOverfitting=0.001", Notebook.Markdown);
        Assert.Contains("0.001", parameters);
    }

    [Fact]
    public void QuickModeKeepsTenPicturesAndRunsThreeSeeds()
    {
        string quick = Notebook.CodeSources[Notebook.CodeCellWith("if (quick)")];
        Assert.Contains("steps = 100; snapshotEvery = 10; seeds = 3;", quick);
    }

    [Fact]
    public void TheNetsAreWrittenOutWithDropoutBeforeEachReLU()
    {
        string nets = Notebook.CodeSources[Notebook.CodeCellWith("var net_dropped = nn.Sequential(")];
        Assert.Contains("nn.Linear(1, N_HIDDEN),\n    nn.Dropout(dropoutP),  // drop 50% of the neuron\n    nn.ReLU(),", nets);
        Assert.Contains("nn.Linear(N_HIDDEN, N_HIDDEN),\n    nn.Dropout(dropoutP),  // drop 50% of the neuron\n    nn.ReLU(),", nets);
    }

    [Fact]
    public void TheTrainingLoopIsVisibleInTheNotebook()
    {
        string loop = Notebook.CodeSources[Notebook.CodeCellWith("var snapshots = new List<RegressionSnapshot>();")];
        foreach (string line in new[]
        {
            "loss_ofit.backward();", "optimizer_drop.step();", "if ((t + 1) % snapshotEvery == 0)",
            "net_dropped.eval();", "net_dropped.train();", "using (torch.no_grad())",
        })
            Assert.Contains(line, loop);
        // The blog's L1 term is written out in the notebook too.
        Assert.Contains("var loss = mse + l1Lambda * regularization_loss;", string.Join("\n", Notebook.CodeSources));
    }
}

[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
public class RegressionNotebookQuickRunTests(RegressionQuickRun run) : IClassFixture<RegressionQuickRun>
{
    string Printed(string fragment) => run.Stdout(fragment);

    string Html(string fragment) => Assert.Single(run.Displays(fragment)).Data["text/html"];

    static double Number(string text, string pattern) =>
        double.Parse(Regex.Match(text, pattern).Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void RunsGreen() => Assert.True(run.Result.Status == NotebookStatus.Succeeded, run.Result.Failure);

    [Fact]
    public void PrintsBothNetsAsPyTorchDoes()
    {
        string printed = Printed("Console.WriteLine(ModuleListing.Describe(net_dropped));");
        Assert.Contains("  (1): Dropout(p=0.5, inplace=False)\n  (2): ReLU()", printed.ReplaceLineEndings("\n"));
        // 1·300 + 300 + 300·300 + 300 + 300·1 + 1
        Assert.Contains("91201 parameters in each net, for 20 training points", printed);
    }

    [Fact]
    public void TakesTenSnapshotsAndTabulatesThem()
    {
        var lines = Printed("var snapshots = new List<RegressionSnapshot>();").ReplaceLineEndings("\n").Trim().Split('\n');
        Assert.Equal(10, lines.Length);
        Assert.Matches(@"^after step  10:  overfitting loss=\d\.\d{4}   dropout loss=\d\.\d{4}$", lines[0]);
        Assert.StartsWith("after step 100:", lines[^1]);
        string table = Html("snapshots.Select((s, i) => new");
        Assert.Equal(1 + 10, Regex.Matches(table, "<tr>").Count);
    }

    [Fact]
    public void TheAnimationHasASliderOfTenStepsAndTheGridTheBlogsFourPictures()
    {
        string animation = Html("RegressionChart.Animation(snapshots, points)");
        Assert.Contains("\"sliders\"", animation);
        Assert.Equal(10, Regex.Matches(animation, "\"method\":\"update\"").Count);
        string grid = Html("RegressionChart.Pictures(snapshots, new[] { 1, 4, 7, 10 }, points)");
        foreach (string picture in new[] { "picture 1: after step 10", "picture 4: after step 40", "picture 7: after step 70", "picture 10: after step 100" })
            Assert.Contains(picture, grid);
        Assert.Matches(@"overfitting loss=\d\.\d{4}, dropout loss=\d\.\d{4}", grid);
    }

    [Fact]
    public void WeightDecayIsInTheStepButNotInThePrintedLoss()
    {
        string printed = Printed("var opt_decayed = torch.optim.Adam(");
        double plain = Number(printed, @"loss of the plain Adam net:\s+([\d.]+)");
        double decayed = Number(printed, @"loss of the Adam\(weight_decay=[\d.]+\) net:\s+([\d.]+)");
        double written = Number(printed, @"written out:\s+([\d.]+)");
        Assert.Equal(plain, decayed);
        Assert.True(written > decayed);
        Assert.True(Number(printed, @"\|w_plain - w_weight_decay\|\s+= ([\d.E+-]+)") > 1e-4);
        Assert.True(Number(printed, @"\|w_written_out - w_weight_decay\| = ([\d.E+-]+)") < 1e-5);

        var l2 = Printed("var optimizer_l2 = torch.optim.Adam(").ReplaceLineEndings("\n").Trim().Split('\n');
        Assert.Equal(5, l2.Length);
        Assert.All(l2, line => Assert.Matches(@"printed loss \(MSE\) \d\.\d{4}   not printed: λ·½Σw² = \d+\.\d{4}$", line));
    }

    [Fact]
    public void TheL1TermIsPrintedSeparatelyAndTheLibraryAgrees()
    {
        var lines = Printed("var loss = mse + l1Lambda * regularization_loss;").ReplaceLineEndings("\n").Trim().Split('\n');
        Assert.Equal(5, lines.Length);
        foreach (string line in lines)
        {
            double mse = Number(line, @"MSE (\d\.\d{4})"), penalty = Number(line, @"Σ\|w\| (\d+\.\d{4})"), loss = Number(line, @"loss (\d+\.\d{4})");
            Assert.Equal(mse + penalty, loss, 3);
        }
        string sums = Printed("Regularization.SumOfAbs(net_l1.parameters())");
        var match = Regex.Match(sums, @"written out: ([\d.]+), Regularization.SumOfAbs: ([\d.]+)");
        Assert.Equal(match.Groups[1].Value, match.Groups[2].Value);
    }

    [Fact]
    public void TheLibraryReproducesTheNotebooksRunAndTheStudySummarizesEverySeed()
    {
        Assert.Contains("identical", Printed("var again = RegressionStudy.Run(seed, settings).Result;"));
        Assert.Equal(3, Regex.Matches(Printed("RegressionStudy.RunSeeds("), @"^seed +\d+: ", RegexOptions.Multiline).Count);
        Assert.Matches(@"^dropout beat overfitting in [0-3] of 3 seeds; test loss mean ± std: overfitting \d\.\d{4} ± \d\.\d{4}, dropout \d\.\d{4} ± \d\.\d{4}",
            Printed("var summary = RegressionStudySummary.Of(results);"));
        Assert.Contains("\"type\":\"box\"", Html("RegressionChart.SeedComparison(results)"));
    }
}
