using System.Globalization;
using System.Text.RegularExpressions;
using Dropout.Layers;
using Dropout.Models;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Tests.Runner;
using Dropout.Training;

namespace Dropout.Tests.Notebooks;

/// <summary>The facts notebooks/05 teaches, asserted on the outputs of a quick run.</summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class InvertedDropoutNotebookRunTests(InvertedDropoutQuickRun run) : IClassFixture<InvertedDropoutQuickRun>
{
    static double Cell(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A table the cell showed, as header → column values.</summary>
    Dictionary<string, string[]> Columns(string fragment)
    {
        var table = run.Executed.Table(fragment);
        return table[0].Select((name, i) => (name, i)).ToDictionary(c => c.name, c => table.Skip(1).Select(r => r[c.i]).ToArray());
    }

    static double Number(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"no match for /{pattern}/ in:\n{text}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void RunsGreenInQuickMode() => Assert.True(run.Result.Status == NotebookStatus.Succeeded, run.Result.Failure);

    [Fact]
    public void VanillaPredictScalesByKeepProbAndInvertedPredictIsTheIdentity()
    {
        string text = run.Stdout("var X = torch.arange(16");
        Assert.Contains("vanilla_predict(X, 0.5) =\n[[0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]", text);
        Assert.Contains("inverted_predict(X) =\n[[0, 1, 2, 3, 4, 5, 6, 7]", text);
    }

    [Fact]
    public void MeansOverMasksMatchEachMethodsPredictionAndTheVerdictFollowsFromTheGaps()
    {
        string text = run.Stdout("MeanOverMasks");
        var gaps = Regex.Matches(text, @"largest relative gap: vanilla ([\d.]+), inverted ([\d.]+); one standard error of the average: ([\d.]+)\n(.+)\n");
        Assert.Equal(2, gaps.Count);
        foreach (Match gap in gaps)
        {
            double vanilla = double.Parse(gap.Groups[1].Value, CultureInfo.InvariantCulture);
            double inverted = double.Parse(gap.Groups[2].Value, CultureInfo.InvariantCulture);
            double se = double.Parse(gap.Groups[3].Value, CultureInfo.InvariantCulture);
            bool within = Math.Max(vanilla, inverted) <= 4 * se;
            Assert.Equal(within, gap.Groups[4].Value.StartsWith("both averages match", StringComparison.Ordinal));
            Assert.True(within, text);   // 500 masks in quick mode: 4 standard errors are a loose bound that a wrong scale would break
        }
    }

    [Fact]
    public void VanillaAgainstInvertedIsAPairedDifferenceThatOneSeedCannotSettle()
    {
        const string cell = "var vanillaRuns = new List<LossAndAccuracy> { finalVanilla };";
        var shown = ExecutedNotebook.Tables(run.Cell(cell));
        var runs = shown[0];
        Assert.Equal(["vanilla dropout", "inverted dropout"], runs["TrainedWith"]);
        var claims = shown[1];
        Assert.Equal(["test acc", "test loss"], claims["Metric"]);
        Assert.Equal(Cell(runs["TestAcc"][0]) - Cell(runs["TestAcc"][1]), Cell(claims["Difference"][0]), 3);
        Assert.All(claims["Verdict"], v => Assert.Equal("not settled", v));   // one seed: no interval
        Assert.All(claims["Test"], t => Assert.Equal("paired t, 1 seeds", t));
    }

    [Fact]
    public void FoldingKeepProbIntoOutgoingWeightsMakesVanillaAndInvertedTheSameFunction()
    {
        string text = run.Stdout("folded.ScaleOutgoingWeights");
        Assert.InRange(Number(text, @"prediction: max \|vanilla\(W\) - inverted\(W'\)\| over \d+ test images = ([\d.E+-]+)"), 0, 1e-4);
        Assert.InRange(Number(text, @"training forward, same masks: max \|vanilla\(W\) - inverted\(W'\)\| = ([\d.E+-]+)"), 0, 1e-4);
        var same = Regex.Match(text, @"same predicted class on (\d+) of (\d+) images");
        Assert.Equal(same.Groups[2].Value, same.Groups[1].Value);
        var accuracies = Regex.Match(text, @"vanilla predict with W ([\d.]+), inverted predict with W' ([\d.]+)");
        Assert.Equal(accuracies.Groups[1].Value, accuracies.Groups[2].Value);
    }

    [Fact]
    public void ForgettingVanillasScalingIsTabulatedBesideTheCorrectPrediction()
    {
        var table = Columns("var forgotTheScaling = new DropoutMlp(");
        Assert.Equal(["with the × keepProb scaling (correct)", "plain forward pass (scaling forgotten)"], table["VanillaTrainedWeightsPredicted"]);
        var trained = Columns("var vanillaRuns = new List<LossAndAccuracy> { finalVanilla };");
        Assert.Equal(trained["TestAcc"][0], table["TestAcc"][0]);   // the correct row is vanilla's own evaluation
        Assert.NotEqual(table["TestLoss"][0], table["TestLoss"][1]);
    }

    [Fact]
    public void TheBlogsDemoPrintsATrainingOutputOfZerosAndTwosAndAnInferenceOutputOfHalves()
    {
        string text = run.Stdout("var dropout = new CustomDropout(p: 0.5);");
        Assert.Contains("训练模式下的输出 (output in training mode):", text);
        Assert.Contains("推理模式下的输出 (output in inference mode):", text);
        var tensors = NotebookQuickRun.PrintedTensors(text);
        Assert.Equal(2, tensors.Count);
        Assert.Equal(25, tensors[0].Length);
        Assert.All(tensors[0], v => Assert.True(v == 0 || v == 2, $"{v}"));
        Assert.Contains(tensors[0], v => v == 0);
        Assert.Contains(tensors[0], v => v == 2);
        Assert.Equal(Enumerable.Repeat(0.5, 25), tensors[1]);
    }

    [Fact]
    public void TheTrainingOutputAveragesToTheInputSoTheBlogsInferenceIsScaledTwice()
    {
        string text = run.Stdout("var trainSum = torch.zeros_like(x, dtype: torch.float64);");
        double averaged = Number(text, @"averaged over \d+ masks: mean ([\d.]+)");
        Assert.InRange(averaged, 0.9, 1.1);   // E[x · mask / (1 - p)] = x = 1
        Assert.Equal(0.5, Number(text, @"inference mode \(the blog's\):  every entry ([\d.]+)"));
        Assert.Equal(1.0, Number(text, @"inference of CustomDropoutFixed: every entry ([\d.]+)"));
        Assert.Contains("the scaling is applied twice", text);
    }

    [Fact]
    public void TheBlogsEvalShrinksLayerOneByOneMinusPAndTheFixDoesNot()
    {
        string text = run.Stdout("ForwardWithActivations(Xa)");
        Assert.InRange(Number(text, @"max \|blog eval - \(1 - dropout1\) · fixed eval\| = ([\d.E+-]+)"), 0, 1e-6);
        var table = Columns("ForwardWithActivations(Xa)");
        Assert.Equal(["1", "2"], table["Layer"]);
        double[] blog = table["BlogOverTrain"].Select(Cell).ToArray(), fix = table["FixedOverTrain"].Select(Cell).ToArray();
        Assert.InRange(blog[0], 0.75, 0.85);   // blog / train ≈ 1 - dropout1
        Assert.InRange(fix[0], 0.95, 1.05);    // fixed / train ≈ 1
        Assert.InRange(blog[1], 0.1, 0.55);    // shrunk by its own (1 - dropout2) and by layer 1's shrink
        Assert.InRange(fix[1], 0.8, 1.1);
        // The reading printed under the table carries the table's ratios.
        Assert.Contains("reading: the blog's eval shrinks layer 1 exactly by (1 - dropout1)", text);
        Assert.Contains($"layer 2 to {blog[1].ToString("F2", CultureInfo.InvariantCulture)} of its training average", text);
        Assert.Contains($"with the fix the ratios are {fix[0].ToString("F2", CultureInfo.InvariantCulture)} and {fix[1].ToString("F2", CultureInfo.InvariantCulture)}", text);
    }

    [Fact]
    public void TheBlogsEvalShrinksTheLogitsAndTheConfidence()
    {
        const string cell = "LossAndAccuracy.Evaluate(customNet";
        string text = run.Stdout(cell);
        var table = Columns(cell);
        Assert.Equal(["blog: x · (1 - p) (bug)", "fixed: return x"], table["Inference"]);
        double[] spread = table["LogitSpread"].Select(Cell).ToArray(), confidence = table["MeanConfidence"].Select(Cell).ToArray(), acc = table["TestAcc"].Select(Cell).ToArray();
        Assert.InRange(spread[0] / spread[1], 0.2, 0.6);
        Assert.Equal(spread[0] / spread[1], Number(text, @"logit spread ratio blog / fixed = ([\d.]+)"), 2);
        Assert.True(confidence[0] < confidence[1], string.Join(", ", confidence));
        Assert.Equal(acc[1] - acc[0], Number(text, @"the fix changes test accuracy by ([+-][\d.]+)"), 4);
    }

    [Fact]
    public void MonteCarloDropoutReportsAllThreePredictionsAndTheUncertaintyGroups()
    {
        const string cell = "MonteCarloDropout.Predict(invertedNet, Xtest, samples: mcSamples)";
        string text = run.Stdout(cell);
        var table = Columns(cell);
        Assert.Equal(["deterministic (eval, dropout off)", "one stochastic pass (dropout on)", "Monte Carlo dropout (average)"], table["Prediction"]);
        Assert.Equal(["1", "1", "5"], table["Passes"]);
        double[] acc = table["TestAcc"].Select(Cell).ToArray();
        Assert.Equal(acc[1] - acc[0], Number(text, @"one stochastic pass vs deterministic: accuracy ([+-][\d.]+)"), 4);
        Assert.Equal(acc[2] - acc[0], Number(text, @"Monte Carlo average vs deterministic: accuracy ([+-][\d.]+)"), 4);
        var groups = Columns("UncertaintyBuckets.ByQuantile");
        Assert.Equal(["1", "2", "3", "4", "5"], groups["Group"]);
        Assert.All(groups["Images"], n => Assert.Equal("200", n));
        Assert.Contains("quick mode: a 1-epoch model on a subset; the check", run.Stdout("UncertaintyBuckets.ByQuantile"));
    }
}
