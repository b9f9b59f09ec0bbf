using Dropout.Models;
using Dropout.Native;
using Dropout.Regression;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Tests.Regression;

/// <summary>Morvan's data and nets, the PyTorch-style listing, and what eval mode does to net_dropped.</summary>
[Collection(SerialCollection.Name)] // seeds torch's global generator
public class RegressionDemoTests
{
    public RegressionDemoTests() => TorchNative.Ensure();

    [Fact]
    public void DataIsTwentyPointsOnALineFromMinusOneToOne()
    {
        random.manual_seed(3);
        var (x, y) = RegressionDemo.MakeData();
        Assert.Equal([20L, 1L], x.shape);
        Assert.Equal([20L, 1L], y.shape);
        Assert.Equal(ScalarType.Float32, y.dtype);
        Assert.True(TensorAssert.Same(x, unsqueeze(linspace(-1, 1, 20), 1)));
        Assert.False(TensorAssert.Same(x, y), "y must carry noise");
    }

    [Fact]
    public void NoiseHasMeanZeroAndStandardDeviationPointThree()
    {
        random.manual_seed(4);
        var (x, y) = RegressionDemo.MakeData(200_000);
        using var noise = y - x;
        Assert.InRange(noise.mean().item<float>(), -0.003, 0.003);
        Assert.InRange(noise.std().item<float>(), 0.297, 0.303);
    }

    [Fact]
    public void TheSameSeedGivesTheSameDataAndTheTestSetIsFresh()
    {
        random.manual_seed(5);
        var (_, y1) = RegressionDemo.MakeData();
        var (_, testY1) = RegressionDemo.MakeData();
        random.manual_seed(5);
        var (_, y2) = RegressionDemo.MakeData();
        Assert.True(TensorAssert.Same(y1, y2));
        Assert.False(TensorAssert.Same(y1, testY1), "the test set must be a new draw");
    }

    [Theory]
    [InlineData(1, 0.3)]
    [InlineData(20, -0.1)]
    [InlineData(20, double.NaN)]
    public void BadDataSettingsAreRejected(int n, double noise)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RegressionDemo.MakeData(n, noise));
        Assert.Contains("got", e.Message);
    }

    [Fact]
    public void NetDroppedPutsDropoutAfterEachHiddenLinearAndBeforeItsReLU()
    {
        using var net = RegressionDemo.NetDropped();
        var layers = net.named_children().Select(c => (c.name, c.module.GetType().Name)).ToList();
        Assert.Equal([("0", "Linear"), ("1", "Dropout"), ("2", "ReLU"), ("3", "Linear"), ("4", "Dropout"), ("5", "ReLU"), ("6", "Linear")], layers);
        Assert.All(net.named_children().Select(c => c.module).OfType<TorchSharp.Modules.Dropout>(), d => Assert.Equal(0.5, d.p));
    }

    [Fact]
    public void BothNetsAreOneThreeHundredThreeHundredOne()
    {
        using var ofit = RegressionDemo.NetOverfitting();
        using var drop = RegressionDemo.NetDropped();
        string[] expected = ["300x1", "300", "300x300", "300", "1x300", "1"];
        Assert.Equal(expected, ofit.parameters().Select(p => string.Join("x", p.shape)));
        Assert.Equal(expected, drop.parameters().Select(p => string.Join("x", p.shape)));
        Assert.Equal(["Linear", "ReLU", "Linear", "ReLU", "Linear"], ofit.named_children().Select(c => c.module.GetType().Name));
    }

    [Fact]
    public void ListingMatchesPyTorchsPrint()
    {
        // print(net_dropped) in PyTorch 1.13, verbatim.
        string expected = string.Join(Environment.NewLine,
            "Sequential(",
            "  (0): Linear(in_features=1, out_features=300, bias=True)",
            "  (1): Dropout(p=0.5, inplace=False)",
            "  (2): ReLU()",
            "  (3): Linear(in_features=300, out_features=300, bias=True)",
            "  (4): Dropout(p=0.5, inplace=False)",
            "  (5): ReLU()",
            "  (6): Linear(in_features=300, out_features=1, bias=True)",
            ")");
        using var net = RegressionDemo.NetDropped();
        Assert.Equal(expected, ModuleListing.Describe(net));
    }

    [Fact]
    public void ListingNestsCustomModulesAndNamesUnknownLayers()
    {
        using var net = new ScratchNet(784, 10, 256, 256, 0.2, 0.5);
        string listing = ModuleListing.Describe(net);
        Assert.StartsWith("ScratchNet(", listing);
        Assert.Contains("  (lin1): Linear(in_features=784, out_features=256, bias=True)", listing);
        using var flat = nn.Flatten();
        Assert.Equal("Flatten()", ModuleListing.Describe(flat));
    }

    [Fact]
    public void NetDroppedIsDeterministicInEvalModeAndRandomInTrainMode()
    {
        random.manual_seed(6);
        using var net = RegressionDemo.NetDropped();
        var (x, _) = RegressionDemo.MakeData();
        using var _ = no_grad();
        net.eval();
        using var a = net.forward(x);
        using var b = net.forward(x);
        Assert.True(TensorAssert.Same(a, b), "eval mode must switch dropout off");
        net.train();
        using var c = net.forward(x);
        using var d = net.forward(x);
        Assert.False(TensorAssert.Same(c, d), "train mode must draw new masks");
        Assert.False(TensorAssert.Same(a, c));
    }

    [Fact]
    public void DroppedNetWithPZeroComputesWhatTheOverfittingNetComputes()
    {
        // Same weights, p = 0: the only difference between the two architectures is the Dropout layers.
        using var ofit = RegressionDemo.NetOverfitting();
        using var drop = RegressionDemo.NetDropped(p: 0);
        var ofitLinears = ofit.named_children().Select(c => c.module).OfType<Linear>().ToList();
        var dropLinears = drop.named_children().Select(c => c.module).OfType<Linear>().ToList();
        using (no_grad())
            for (int i = 0; i < 3; i++)
            {
                dropLinears[i].weight!.copy_(ofitLinears[i].weight!);
                dropLinears[i].bias!.copy_(ofitLinears[i].bias!);
            }
        var (x, _) = RegressionDemo.MakeData();
        using var __ = no_grad();
        Assert.True(TensorAssert.Same(ofit.forward(x), drop.forward(x)));
    }

    [Fact]
    public void NetsBuiltFromOneCopyOfWeightsStartFromTheSamePoint()
    {
        // The study trains every variant from net_overfitting's starting weights; in eval mode (dropout off) the
        // dropped net built from them must compute exactly what net_overfitting computes.
        random.manual_seed(8);
        using var ofit = RegressionDemo.NetOverfitting(nHidden: 16);
        var weights = RegressionDemo.CopyOfWeights(ofit);
        using var again = RegressionDemo.NetOverfittingFrom(weights, nHidden: 16);
        using var dropped = RegressionDemo.NetDroppedFrom(weights, nHidden: 16, p: 0.5);
        dropped.eval();
        var (x, _) = RegressionDemo.MakeData();
        using var __ = no_grad();
        using var expected = ofit.forward(x);
        Assert.True(TensorAssert.Same(expected, again.forward(x)));
        Assert.True(TensorAssert.Same(expected, dropped.forward(x)));
        dropped.train();
        Assert.False(TensorAssert.Same(expected, dropped.forward(x)), "in train mode the dropped net drops");
        var e = Assert.Throws<ArgumentException>(() => RegressionDemo.NetDroppedFrom(new Dictionary<string, Tensor> { ["5.weight"] = zeros(1) }, nHidden: 16));
        Assert.Contains("5.weight", e.Message);
    }

    [Fact]
    public void CopyOfWeightsIsIndependentOfTheNet()
    {
        using var net = RegressionDemo.NetOverfitting(nHidden: 4);
        var copy = RegressionDemo.CopyOfWeights(net);
        using (no_grad()) net.parameters().First().add_(1);
        using var other = RegressionDemo.NetOverfitting(nHidden: 4);
        other.load_state_dict(copy);
        Assert.False(TensorAssert.Same(net.parameters().First(), other.parameters().First()));
        Assert.True(TensorAssert.Same(net.parameters().First() - 1, other.parameters().First()));
    }

    [Fact]
    public void EvalLossIsEvalModeMseAndKeepsTheMode()
    {
        random.manual_seed(7);
        using var net = RegressionDemo.NetDropped(nHidden: 8);
        var (x, y) = RegressionDemo.MakeData();
        net.train();
        double first = RegressionDemo.EvalLoss(net, x, y);
        Assert.True(net.training);
        Assert.Equal(first, RegressionDemo.EvalLoss(net, x, y));
        net.eval();
        using var _ = no_grad();
        Assert.Equal(nn.functional.mse_loss(net.forward(x), y).item<float>(), first, 6);
        Assert.False(net.training);
    }

    [Fact]
    public void BadNetSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionDemo.NetOverfitting(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionDemo.NetDropped(p: 1.5));
    }
}
