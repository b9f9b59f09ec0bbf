using Dropout.Charts;
using Dropout.Data;
using Dropout.Models;
using Dropout.Native;
using Dropout.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Tests.Notebooks;

/// <summary>notebooks/02-dropout-concise.ipynb: its form (the notebook conventions), and the facts it teaches, asserted on the library.</summary>
[Collection(SerialCollection.Name)] // reseeds torch's global generator
public class ConciseNotebookTests
{
    const string Name = "02-dropout-concise.ipynb";

    public ConciseNotebookTests() => TorchNative.Ensure();

    /// <summary>The notebook's own construction: d2l's Sequential and init_weights, written out.</summary>
    static Sequential NotebooksNet(double dropout1, double dropout2)
    {
        var net = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(dropout1),
            nn.Linear(256, 256), nn.ReLU(), nn.Dropout(dropout2), nn.Linear(256, 10));
        net.apply(m =>
        {
            if (m is Linear linear)
                using (no_grad())
                    nn.init.normal_(linear.weight, std: 0.01);
        });
        return net;
    }

    [Fact]
    public void FollowsTheNotebookConventions() => NotebookFile.Load(Name).AssertFollowsConventions();

    [Fact]
    public void ADropoutLayerDrawsANewMaskInTrainModeAndPassesThroughInEvalMode()
    {
        using var dropout = nn.Dropout(0.5);
        using var input = ones(2, 8);
        dropout.train();
        using var first = dropout.forward(input);
        using var second = dropout.forward(input);
        Assert.All(first.data<float>().ToArray(), v => Assert.True(v == 0 || v == 2, $"{v} is neither 0 nor 2"));
        Assert.False(TensorAssert.Same(first, second));
        dropout.eval();
        using var third = dropout.forward(input);
        Assert.True(TensorAssert.Same(third, input));
    }

    [Fact]
    public void InitWeightsDrawsStandardDeviationPointZeroOneAndLeavesBiases()
    {
        manual_seed(3);
        using var net = ConciseNet.Create(0.2, 0.5);
        var weights = net.named_parameters().Where(p => p.name.EndsWith("weight")).Select(p => p.parameter).ToList();
        Assert.Equal(3, weights.Count);
        foreach (var w in weights)
        {
            double std = w.std().item<float>();
            Assert.InRange(std, 0.0095, 0.0105);
        }
        // PyTorch's default bias init is uniform(±1/sqrt(fan_in)), far from N(0, 0.01): biases were not redrawn.
        var bias1 = net.named_parameters().First(p => p.name == "lin1.bias").parameter;
        Assert.True(bias1.abs().max().item<float>() > 0.02);
    }

    [Fact]
    public void ReseedingGivesTheNotebooksNetAndTheNoDropoutNetTheSameInitialWeights()
    {
        manual_seed(42);
        using var notebooks = NotebooksNet(0.2, 0.5);
        manual_seed(42);
        using var noDropout = ConciseNet.Create(0, 0);
        var a = notebooks.parameters().ToList();
        var b = noDropout.parameters().ToList();
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.True(TensorAssert.Same(a[i], b[i]), $"parameter {i} differs");
    }

    [Fact]
    public void ProbabilitiesZeroMeanNoDropoutEvenInTrainMode()
    {
        using var net = ConciseNet.Create(0, 0);
        using var X = rand(8, 1, 28, 28, generator: new Generator(2));
        using var noGrad = no_grad();
        net.train();
        using var a = net.forward(X);
        using var b = net.forward(X);
        Assert.True(TensorAssert.Same(a, b));
    }

    [Fact]
    public void ATrainingIteratorWithTheSameSeedVisitsTheSameMinibatches()
    {
        using var features = arange(100, dtype: float32).reshape(100, 1);
        using var labels = arange(100);
        var first = new DataIter(features, labels, 10, shuffle: true, seed: 42).Select(b => b.y.data<long>().ToArray()).ToList();
        var second = new DataIter(features, labels, 10, shuffle: true, seed: 42).Select(b => b.y.data<long>().ToArray()).ToList();
        Assert.Equal(first, second);
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => (long)i), first[0]);
    }
}

/// <summary>
/// notebooks/02 run through the engine in quick mode: what the learner reads is what the notebook computed — the two
/// modes of dropout, both runs with their live charts, and every claim agreeing with the runs table and its interval.
/// </summary>
[Collection(Dropout.Tests.Runner.KernelCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class ConciseNotebookRunTests(ConciseQuickRun run) : IClassFixture<ConciseQuickRun>
{
    [Fact]
    public void TrainsWithTheSourcesSettings()
    {
        var parameters = NotebookFile.Load("02-dropout-concise.ipynb").ParametersSource;
        foreach (string declaration in new[] { "int numEpochs = 10;", "double lr = 0.5;", "int batchSize = 256;", "double dropout1 = 0.2, dropout2 = 0.5;", "int numSeeds = 3;" })
            Assert.Contains(declaration, parameters);
    }

    [Fact]
    public void ADropoutLayerDiffersInTrainModeAndIsIdentityInEvalMode()
    {
        string stdout = run.Stdout("var dropout = nn.Dropout(0.5);");
        var tensors = NotebookQuickRun.PrintedTensors(stdout);
        Assert.Equal(4, tensors.Count);
        Assert.All(tensors[0].Concat(tensors[1]), v => Assert.True(v == 0 || v == 2, $"{v} in train mode"));
        Assert.NotEqual(tensors[0], tensors[1]);
        Assert.All(tensors[2].Concat(tensors[3]), v => Assert.Equal(1, v));
    }

    [Fact]
    public void TheNetworkIsRandomInTrainModeAndDeterministicInEvalMode()
    {
        var logits = NotebookQuickRun.PrintedTensors(run.Stdout("var image = test_iter.Features[..1];"));
        Assert.Equal(4, logits.Count);
        Assert.NotEqual(logits[0], logits[1]);
        Assert.Equal(logits[2], logits[3]);
    }

    [Fact]
    public void BothRunsTrainWithTheirLiveChartsAndTheirPairIsTabulated()
    {
        ConciseChecks.PairTableHoldsThePrintedEpochs(run, epochs: 2);   // quick: 2 epochs
        var chart = Assert.Single(run.Displays("TrainingComparisonChart.Create("));
        Assert.True(chart.IsChart);
    }

    [Fact]
    public void TheClaimsArePairedOverTheSeedsAndFollowTheRunsTable() => ConciseChecks.ClaimsFollowTheRunsTable(run, seeds: 3);
}

/// <summary>
/// notebooks/02 in quick mode at a learning rate that makes some runs diverge (<c>-p lr=1</c>): the diverged runs are
/// named, kept out of the paired claims, and each claim is shown again with them when they have a value to add.
/// </summary>
[Collection(Dropout.Tests.Runner.KernelCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class ConciseNotebookDivergingRunTests(ConciseDivergingQuickRun run) : IClassFixture<ConciseDivergingQuickRun>
{
    [Fact]
    public void SomeRunsDivergeAndAreNamed()
    {
        var rows = ConciseChecks.RunsTableAgrees(run, seeds: 3);
        Assert.Contains(rows, r => r.Diverged != "no");   // the path this run exists for
        Assert.Contains(rows, r => r.Diverged == "no");
        Assert.All(rows.Where(r => r.Diverged != "no"), r => Assert.StartsWith("diverged", r.Diverged));
    }

    [Fact]
    public void TheClaimsLeaveTheDivergedRunsOutAndFollowTheRunsTable() => ConciseChecks.ClaimsFollowTheRunsTable(run, seeds: 3);
}
