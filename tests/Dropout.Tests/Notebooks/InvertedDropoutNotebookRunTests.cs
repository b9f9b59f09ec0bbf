using System.Globalization;
using System.Text.RegularExpressions;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>The facts notebooks/05 teaches, asserted on the outputs of a quick run.</summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class InvertedDropoutNotebookRunTests(InvertedDropoutQuickRun run) : IClassFixture<InvertedDropoutQuickRun>
{
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
    public void VanillaAgainstInvertedTrainingIsJudgedByTheRuleWhichCannotJudgeOneSeed()
    {
        string text = run.Stdout("var vanillaRuns = new List<LossAndAccuracy> { finalVanilla };");
        double vanillaAcc = Number(text, @"vanilla dropout +\| +[\d.]+ \| +[\d.]+ \| +([\d.]+)");
        double invertedAcc = Number(text, @"inverted dropout +\| +[\d.]+ \| +[\d.]+ \| +([\d.]+)");
        Assert.Contains("the project's rule: two runs differ clearly", text);
        var verdict = PrintedVerdict.Parse(text.ReplaceLineEndings("\n").Split('\n').Single(l => l.StartsWith("cannot judge on test acc", StringComparison.Ordinal)));
        Assert.Equal((vanillaAcc, invertedAcc, 1, 1), (verdict.MeanA, verdict.MeanB, verdict.NA, verdict.NB));
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
        Assert.Contains("reading: the blog's eval shrinks layer 1 exactly by (1 - dropout1)", text);
        Assert.InRange(Number(text, @"max \|blog eval - \(1 - dropout1\) · fixed eval\| = ([\d.E+-]+)"), 0, 1e-6);
        var layer1 = Regex.Match(text, @"\n +1 \| +0\.2 \| +([\d.]+) \| +([\d.]+) \| +([\d.]+) \| +([\d.]+) \| +([\d.]+)");
        var layer2 = Regex.Match(text, @"\n +2 \| +0\.5 \| +([\d.]+) \| +([\d.]+) \| +([\d.]+) \| +([\d.]+) \| +([\d.]+)");
        Assert.True(layer1.Success && layer2.Success, text);
        double Ratio(Match m, int group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        Assert.InRange(Ratio(layer1, 3), 0.75, 0.85);   // blog / train ≈ 1 - dropout1
        Assert.InRange(Ratio(layer1, 5), 0.95, 1.05);   // fixed / train ≈ 1
        Assert.InRange(Ratio(layer2, 3), 0.1, 0.55);    // shrunk by its own (1 - dropout2) and by layer 1's shrink
        Assert.InRange(Ratio(layer2, 5), 0.8, 1.1);
    }

    [Fact]
    public void TheBlogsEvalShrinksTheLogitsAndTheConfidence()
    {
        string text = run.Stdout("LossAndAccuracy.Evaluate(customNet");
        Assert.InRange(Number(text, @"logit spread ratio blog / fixed = ([\d.]+)"), 0.2, 0.6);
        double blogConfidence = Number(text, @"blog: x · \(1 - p\)  \(bug\) +\| +[\d.]+ \| +[\d.]+ \| +([\d.]+)");
        double fixedConfidence = Number(text, @"fixed: return x +\| +[\d.]+ \| +[\d.]+ \| +([\d.]+)");
        Assert.True(blogConfidence < fixedConfidence, text);
        double blogAcc = Number(text, @"blog: x · \(1 - p\)  \(bug\) +\| +[\d.]+ \| +([\d.]+)");
        double fixedAcc = Number(text, @"fixed: return x +\| +[\d.]+ \| +([\d.]+)");
        Assert.Equal(fixedAcc - blogAcc, Number(text, @"the fix changes test accuracy by ([+-][\d.]+)"), 4);
    }

    [Fact]
    public void MonteCarloDropoutReportsAllThreePredictionsAndTheUncertaintyGroups()
    {
        string text = run.Stdout("MonteCarloDropout.Predict(invertedNet, Xtest, samples: mcSamples)");
        Assert.Contains("deterministic (eval, dropout off)", text);
        Assert.Matches(@"Monte Carlo dropout \(average\) +\| +5 \|", text);
        double deterministic = Number(text, @"deterministic \(eval, dropout off\) +\| +1 \| +([\d.]+)");
        double onePass = Number(text, @"one stochastic pass \(dropout on\) +\| +1 \| +([\d.]+)");
        Assert.Equal(onePass - deterministic, Number(text, @"one stochastic pass vs deterministic: accuracy ([+-][\d.]+)"), 4);
        string groups = run.Stdout("UncertaintyBuckets.ByQuantile");
        Assert.Equal(5, Regex.Matches(groups, @"\n +\d \| +[\d.]+ – +[\d.]+ \| +200 \|").Count);
        Assert.Contains("quick mode: a 1-epoch model on a subset; the check", groups);
    }
}
