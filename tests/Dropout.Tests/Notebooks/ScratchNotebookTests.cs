using static TorchSharp.torch;

namespace Dropout.Tests.Notebooks;

/// <summary>notebooks/01-dropout-from-scratch.ipynb: its form, and the facts it teaches, asserted on the library.</summary>
[Collection(SerialCollection.Name)] // reseeds torch's global generator
public class ScratchNotebookTests
{
    const string Name = "01-dropout-from-scratch.ipynb";

    public ScratchNotebookTests() => TorchNative.Ensure();

    static Tensor SourceX() => arange(16, dtype: float32).reshape(2, 8);

    [Fact]
    public void FollowsTheNotebookConventions() => NotebookFile.Load(Name).AssertFollowsConventions();

    [Fact]
    public void KeepsTheSourcesDefaultsAndDefinesDropoutLayerItself()
    {
        var nb = NotebookFile.Load(Name);
        string parameters = nb.ParametersSource;
        foreach (string declaration in new[] { "int numEpochs = 10;", "double lr = 0.5;", "int batchSize = 256;", "static double dropout1 = 0.2, dropout2 = 0.5;", "long seed = 42;" })
            Assert.Contains(declaration, parameters);
        Assert.Contains("static Tensor dropout_layer(Tensor X, double dropout)", nb.CodeSources[nb.CodeCellWith("dropout_layer(Tensor X")]);
        Assert.Contains("long num_inputs = 784, num_outputs = 10, num_hiddens1 = 256, num_hiddens2 = 256;", string.Join("\n", nb.CodeSources));
        string net = nb.CodeSources[nb.CodeCellWith("class Net")];
        Assert.Contains("RegisterComponents();", net);
        Assert.Contains("dropout_layer(H1, dropout1)", net);
        Assert.Contains("dropout_layer(H2, dropout2)", net);
        Assert.Contains("nn.CrossEntropyLoss(reduction: nn.Reduction.None)", string.Join("\n", nb.CodeSources));
    }

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

/// <summary>notebooks/01 run through the engine in quick mode: what the learner reads is what the notebook teaches.</summary>
[Collection(Dropout.Tests.Runner.KernelCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class ScratchNotebookRunTests(ScratchQuickRun run) : IClassFixture<ScratchQuickRun>
{
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
    public void TheLibrarysDropoutLayerMatchesTheNotebooks()
    {
        var shown = Assert.Single(run.Displays("DropoutOps.DropoutLayer(X, 0.5)"));
        Assert.Contains("<pre>True</pre>", shown.Data["text/html"]);
    }

    [Fact]
    public void NetAndScratchNetHaveTheSameParameters()
    {
        var rows = run.TableRows("named_parameters().Zip");
        Assert.Equal(["lin1.weight", "lin1.bias", "lin2.weight", "lin2.bias", "lin3.weight", "lin3.bias"], rows.Select(r => r[0]));
        Assert.All(rows, r => { Assert.Equal(r[0], r[2]); Assert.Equal(r[1], r[3]); });
        Assert.Equal("256 × 784", rows[0][1]);
    }

    [Fact]
    public void TrainsOneLinePerEpochDrawsTheCurveAndSaysTheCheckIsSkipped()
    {
        var epochs = run.Stdout("D2l.TrainCh3(net,").Split('\n').Where(l => l.StartsWith("epoch", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, epochs.Count);
        Assert.True(Assert.Single(run.Displays("TrainingChart.Create(history")).IsChart);
        Assert.Contains("skipped in quick mode", run.Stdout("history.CheckD2l()"));
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
    public void TheAccuracyDecompositionAddsUp()
    {
        var values = run.Stdout("void Show(").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => NotebookQuickRun.Number(l[^7..])).ToArray();
        Assert.Equal(4, values.Length);
        Assert.InRange(values[0] - (values[1] + values[2] - values[3]), -0.0003, 0.0003); // each printed to 4 decimals
        Assert.Equal(4, run.TableRows("AccuracyWithDropout(net, train_iter)").Count);
    }
}
