using Dropout.Charts;
using Dropout.Layers;
using Dropout.Models;
using Dropout.Native;
using Dropout.Tests.Runner;
using Dropout.Training;
using static TorchSharp.torch;

namespace Dropout.Tests.Notebooks;

/// <summary>notebooks/01-dropout-from-scratch.ipynb: its form (the notebook conventions), and the facts it teaches, asserted on the library.</summary>
[Collection(SerialCollection.Name)] // reseeds torch's global generator
public class ScratchNotebookTests
{
    const string Name = "01-dropout-from-scratch.ipynb";

    public ScratchNotebookTests() => TorchNative.Ensure();

    static Tensor SourceX() => arange(16, dtype: float32).reshape(2, 8);

    [Fact]
    public void FollowsTheNotebookConventions() => NotebookFile.Load(Name).AssertFollowsConventions();

    [Fact]
    public void DropoutOneYieldsAllZerosAndZeroYieldsXItself()
    {
        using var X = SourceX();
        using var dropped = DropoutOps.DropoutLayer(X, 1.0);
        Assert.True(TensorAssert.Same(dropped, zeros(2, 8)));
        Assert.Same(X, DropoutOps.DropoutLayer(X, 0.0));
    }

    [Fact]
    public void HalfDropsElementsAndDoublesTheSurvivors()
    {
        using var X = SourceX();
        using var h = DropoutOps.DropoutLayer(X, 0.5, new Generator(7));
        var original = X.data<float>().ToArray();
        var result = h.data<float>().ToArray();
        for (int i = 0; i < original.Length; i++)
            Assert.True(result[i] == 0 || result[i] == 2 * original[i], $"element {i}: {result[i]} is neither 0 nor 2 × {original[i]}");
        Assert.Contains(result.Skip(1), v => v == 0);
        Assert.Contains(result.Skip(1), v => v != 0);
    }

    [Fact]
    public void TheLibrarysDropoutLayerDrawsTheNotebooksMaskFromTheSameSeed()
    {
        // The notebook's dropout_layer: mask = (torch.rand(X.shape) > dropout).float(); mask * X / (1 - dropout)
        using var X = SourceX();
        manual_seed(42);
        using var mask = (rand(X.shape) > 0.5).@float();
        using var notebooks = mask * X / (1.0 - 0.5);
        manual_seed(42);
        using var library = DropoutOps.DropoutLayer(X, 0.5);
        Assert.True(TensorAssert.Same(notebooks, library));
    }

    [Fact]
    public void ExpectationIsXOverManyMasksWithinTheStatedError()
    {
        // The Beyond section: the average of N masks differs from h by about h·sqrt(p / ((1-p) N)).
        const int masks = 100_000;
        using var X = SourceX();
        manual_seed(42);
        foreach (double p in new[] { 0.2, 0.5, 0.8 })
        {
            using var average = DropoutOps.DropoutLayer(X.expand(masks, 2, 8), p).mean([0]);
            double worst = (average - X).abs().max().item<float>();
            Assert.True(worst < 6 * 15 * Math.Sqrt(p / ((1 - p) * masks)), $"p = {p}: largest |average - h| = {worst}");
        }
    }

    [Fact]
    public void EvalModeTrainAccuracyIsTheFairMeasureSinceTrainModeIsRandom()
    {
        // The notebook's point: train-mode accuracy is measured on a random thinned net; eval is deterministic.
        manual_seed(1);
        using var net = new ScratchNet(784, 10, 256, 256, 0.2, 0.5);
        using var X = rand(64, 1, 28, 28);
        using var noGrad = no_grad();
        net.train();
        using var a = net.forward(X);
        using var b = net.forward(X);
        Assert.False(TensorAssert.Same(a, b));
        net.eval();
        using var c = net.forward(X);
        using var d = net.forward(X);
        Assert.True(TensorAssert.Same(c, d));
    }
}

/// <summary>
/// notebooks/01 run through the engine in quick mode: what the learner reads is what the notebook computed — the
/// source's settings, d2l's loop giving the library's numbers, and every verdict agreeing with the numbers beside it.
/// </summary>
[Collection(Dropout.Tests.Runner.KernelCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class ScratchNotebookRunTests(ScratchQuickRun run) : IClassFixture<ScratchQuickRun>
{
    const string Training = "var history = train_ch3(net,";

    [Fact]
    public void DropoutLayerPrintsXThenPZeroHalfAndOne()
    {
        var tensors = NotebookQuickRun.PrintedTensors(run.Stdout("dropout_layer(X, 1.0).print();"));
        Assert.Equal(4, tensors.Count);
        var X = Enumerable.Range(0, 16).Select(i => (double)i).ToArray();
        Assert.Equal(X, tensors[0]);
        Assert.Equal(X, tensors[1]);                                  // p = 0: X itself
        for (int i = 0; i < 16; i++)                                  // p = 0.5: dropped or doubled
            Assert.True(tensors[2][i] == 0 || tensors[2][i] == 2 * X[i], $"element {i}: {tensors[2][i]}");
        Assert.Contains(tensors[2].Skip(1), v => v == 0);
        Assert.Contains(tensors[2].Skip(1), v => v != 0);
        Assert.All(tensors[3], v => Assert.Equal(0, v));              // p = 1: all zeros
    }

    [Fact]
    public void WithoutItsSpecialCasePOneWouldGiveNaNEverywhere()
    {
        string stdout = run.Stdout("(maskP1 * X / (1.0 - 1.0)).print();");
        Assert.Equal(16, System.Text.RegularExpressions.Regex.Matches(stdout, "NaN").Count);
        Assert.DoesNotMatch(@"\d", stdout);
    }

    [Fact]
    public void TheNetAndItsTrainingUseTheSourcesSettings()
    {
        var parameters = NotebookFile.Load("01-dropout-from-scratch.ipynb").ParametersSource;
        foreach (string declaration in new[] { "int numEpochs = 10;", "double lr = 0.5;", "int batchSize = 256;", "static double dropout1 = 0.2, dropout2 = 0.5;" })
            Assert.Contains(declaration, parameters);
    }

    [Fact]
    public void TrainsWithD2lsAnimatorLiveAndNoSecondChart()
    {
        Assert.Equal(2, PrintedEpochs.Parse(run.Stdout(Training)).Count);   // quick: 2 epochs
        Assert.Single(run.Displays(Training), d => d.IsChart);   // one chart, updated in place after each epoch
        // every chart of a training run is its own cell's live one: no cell redraws a finished run
        Assert.DoesNotContain(run.Executed.CodeCells, c => ExecutedNotebook.Text(c["source"]).Contains("TrainingChart.Create(", StringComparison.Ordinal));
    }

    [Fact]
    public void TheLibrarysTrainCh3GivesTheNotebooksLoopsNumbersBitForBit()
    {
        var rows = run.TableRows("D2l.TrainCh3(netLibrary,");
        Assert.Equal(6, rows.Count);                                   // 2 epochs × (train loss, train acc, test acc)
        Assert.All(rows, r => Assert.Equal("True", r[4]));
        Assert.All(rows, r => Assert.Equal(r[2], r[3]));
        Assert.Contains("the same 6 numbers, bit for bit, in 2 epoch(s)", run.Stdout("D2l.TrainCh3(netLibrary,"));
        // ... and they are the numbers the training above printed (there to 4 decimals)
        var epochs = PrintedEpochs.Parse(run.Stdout(Training));
        foreach (var r in rows)
        {
            var e = epochs[int.Parse(r[0]) - 1];
            double printed = r[1] switch { "train loss" => e.TrainLoss, "train acc" => e.TrainAcc, "test acc" => e.TestAcc, _ => double.NaN };
            Assert.Equal(printed, Math.Round(NotebookQuickRun.Number(r[2]), 4), 4);
        }
    }

    [Fact]
    public void TheTestAboveTrainVerdictNamesTheEpochsThatPrintedIt()
    {
        var epochs = PrintedEpochs.Parse(run.Stdout(Training));
        var lines = run.Stdout("var testAbove = history.Where(").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var listed = PrintedEpochs.ListedEpochs(lines[0]);
        foreach (var e in epochs.Where(e => e.TestAcc != e.TrainAcc))   // a tie at 4 decimals could go either way
            Assert.Equal(e.TestAcc > e.TrainAcc, listed.Contains(e.Epoch));
        Assert.All(listed, n => Assert.True(epochs[n - 1].TestAcc >= epochs[n - 1].TrainAcc, $"epoch {n} listed"));
        var widest = epochs.Max(e => Math.Abs(e.TestAcc - e.TrainAcc));
        Assert.InRange(PrintedEpochs.LastNumber(lines[1].Split('(')[0]), widest - 0.0002, widest + 0.0002);
        var last = epochs[^1].TestAcc - epochs[^1].TrainAcc;
        Assert.InRange(PrintedEpochs.LastNumber(lines[2]), last - 0.0002, last + 0.0002);
    }

    [Fact]
    public void ManyMasksAverageToXWithinChance()
    {
        var rows = run.TableRows("LargestErrorInSigmas");
        Assert.Equal(3, rows.Count);
        foreach (var r in rows)
        {
            double p = NotebookQuickRun.Number(r[0]);
            Assert.InRange(NotebookQuickRun.Number(r[2]), p - 0.01, p + 0.01);   // DroppedFraction ≈ p
            Assert.InRange(NotebookQuickRun.Number(r[4]), 0, 5);                 // no error beyond chance
        }
        Assert.True(Assert.Single(run.Displays("running average, p =")).IsChart);
    }

    [Fact]
    public void ANetIsTrainedWithDropoutOnItsOutputLayerAndComparedWithD2lsNet()
    {
        const string cell = "var historyOutput = train_ch3(netOutput,";
        Assert.Equal(2, PrintedEpochs.Parse(run.Stdout(cell)).Count);   // trained as net was: quick, 2 epochs
        Assert.Single(run.Displays(cell), d => d.IsChart);
        var t = Assert.Single(ExecutedNotebook.Tables(run.Cell("(\"also the output layer (p = 0.5)\", netOutput, historyOutput)")));
        Assert.Equal(2, t["DropoutOn"].Length);
        // the first row is d2l's net as trained above: its last printed epoch
        var last = PrintedEpochs.Parse(run.Stdout(Training))[^1];
        Assert.Equal(last.TrainLoss, NotebookQuickRun.Number(t["TrainLoss"][0]), 4);
        Assert.Equal(last.TestAcc, NotebookQuickRun.Number(t["TestAcc"][0]), 4);
        var lastOutput = PrintedEpochs.Parse(run.Stdout(cell))[^1];
        Assert.Equal(lastOutput.TrainLoss, NotebookQuickRun.Number(t["TrainLoss"][1]), 4);
        Assert.All(t["TestLoss"], v => Assert.True(NotebookQuickRun.Number(v) > 0));
    }

    [Fact]
    public void PixelNoiseChangesNothingAtZeroAndTheCleanAccuracyIsTheNetsOwn()
    {
        var t = Assert.Single(ExecutedNotebook.Tables(run.Cell("var noiseGenerator = new Generator((ulong)seed);")));
        Assert.Equal(["0", "0.05", "0.1", "0.2", "0.3"], t["PixelNoiseStd"]);
        Assert.Equal(1, NotebookQuickRun.Number(t["SamePrediction"][0]));
        // the clean row is the net's own test accuracy (one pass over all images instead of minibatches: a rounding may flip one)
        Assert.InRange(NotebookQuickRun.Number(t["TestAcc"][0]) - PrintedEpochs.Parse(run.Stdout(Training))[^1].TestAcc, -0.002, 0.002);
        Assert.All(t["SamePrediction"].Concat(t["TestAcc"]), v => Assert.InRange(NotebookQuickRun.Number(v), 0, 1));
    }

    [Fact]
    public void TheAccuracyDecompositionAddsUpAndItsReadingFollowsTheSign()
    {
        var lines = run.Stdout("void Show(").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var values = lines.Take(4).Select(l => NotebookQuickRun.Number(l[^7..])).ToArray();
        Assert.InRange(values[0] - (values[1] + values[2] - values[3]), -0.0003, 0.0003); // each printed to 4 decimals
        var table = run.TableRows("AccuracyWithDropout(net, train_iter)");
        Assert.Equal(4, table.Count);
        Assert.InRange(values[0] - (NotebookQuickRun.Number(table[3][1]) - NotebookQuickRun.Number(table[0][1])), -0.0002, 0.0002);
        string reading = lines[4];
        if (values[0] > 0) Assert.Contains("test acc is above its train acc", reading);
        if (values[0] < 0) Assert.Contains("test acc is not above its train acc", reading);
    }
}
