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
    public void TheNotebooksCs231nFunctionsAreTheLibrarys()
    {
        string text = run.Stdout("SameAsLibrary(() => vanilla_train");
        Assert.Equal(3, Regex.Matches(text, ": +True").Count);
        Assert.DoesNotContain("False", text);
    }

    [Fact]
    public void VanillaPredictScalesByKeepProbAndInvertedPredictIsTheIdentity()
    {
        string text = run.Stdout("var X = torch.arange(16");
        Assert.Contains("vanilla_predict(X, 0.5) =\n[[0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]", text);
        Assert.Contains("inverted_predict(X) =\n[[0, 1, 2, 3, 4, 5, 6, 7]", text);
    }

    [Fact]
    public void MeansOverMasksMatchEachMethodsPrediction()
    {
        string text = run.Stdout("MeanOverMasks");
        var gaps = Regex.Matches(text, @"largest relative gap: vanilla ([\d.]+), inverted ([\d.]+)");
        Assert.Equal(2, gaps.Count);
        // Quick mode averages 500 masks: a loose bound; the library tests pin it down with 20 000.
        foreach (Match gap in gaps)
        {
            Assert.InRange(double.Parse(gap.Groups[1].Value, CultureInfo.InvariantCulture), 0, 0.3);
            Assert.InRange(double.Parse(gap.Groups[2].Value, CultureInfo.InvariantCulture), 0, 0.3);
        }
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
    public void TheBlogsModuleIsTheLibrarysCustomDropout()
    {
        string text = run.Stdout("new BlogCustomDropout(dropout2)");
        Assert.Contains("training: BlogCustomDropout == CustomDropout: True", text);
        Assert.Contains("eval:     BlogCustomDropout == CustomDropout: True", text);
    }

    [Fact]
    public void TheBlogsEvalShrinksLayerOneByOneMinusPAndTheFixDoesNot()
    {
        string text = run.Stdout("ForwardWithActivations(Xa)");
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
    }

    [Fact]
    public void MonteCarloDropoutReportsAllThreePredictionsAndTheUncertaintyGroups()
    {
        string text = run.Stdout("MonteCarloDropout.Predict(invertedNet, Xtest, samples: mcSamples)");
        Assert.Contains("deterministic (eval, dropout off)", text);
        Assert.Matches(@"Monte Carlo dropout \(average\) +\| +5 \|", text);
        string groups = run.Stdout("UncertaintyBuckets.ByQuantile");
        Assert.Equal(5, Regex.Matches(groups, @"\n +\d \| +[\d.]+ – +[\d.]+ \| +200 \|").Count);
        Assert.Contains("quick mode: a 1-epoch model on a subset; the check", groups);
    }
}
