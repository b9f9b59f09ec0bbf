using Dropout.Layers;
using Dropout.Models;
using Dropout.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Tests.Layers;

[Collection(SerialCollection.Name)] // averages thousands of random masks and seeds torch's global generator
public class DropConnectLinearTests
{
    public DropConnectLinearTests() => TorchNative.Ensure();

    [Fact]
    public void EvalIsThePlainLayerAndDeterministic()
    {
        using var layer = new DropConnectLinear(6, 4, 0.5);
        using var x = rand(3, 6, generator: new Generator(1));
        layer.eval();
        using var a = layer.forward(x);
        using var b = layer.forward(x);
        using var plain = layer.Inner.forward(x);
        Assert.True(TensorAssert.Same(a, b), "eval must not draw masks");
        Assert.True(TensorAssert.Same(a, plain));
    }

    [Fact]
    public void TrainingDropsWeightsWithD2lsDropoutLayerAndRescalesTheKeptOnes()
    {
        using var layer = new DropConnectLinear(50, 40, 0.3, new Generator(7));
        using var x = rand(5, 50, generator: new Generator(2));
        using var y = layer.forward(x);
        // The same generator state draws the same mask: W' = dropout_layer(W, p), output x W'ᵀ + b
        using var droppedWeight = DropoutOps.DropoutLayer(layer.Inner.weight!, 0.3, new Generator(7));
        using var expected = nn.functional.linear(x, droppedWeight, layer.Inner.bias);
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
        using var kept = droppedWeight != 0;
        Assert.InRange(kept.to_type(ScalarType.Float32).mean().item<float>(), 0.65, 0.75);
        Assert.True(droppedWeight.masked_select(kept).allclose(layer.Inner.weight!.masked_select(kept) / 0.7, rtol: 1e-5));
        using var again = layer.forward(x);
        Assert.False(TensorAssert.Same(y, again), "each training forward draws a new mask");
    }

    [Fact]
    public void AveragedOverMasksTheTrainingOutputIsTheFullWeightOutput()
    {
        using var layer = new DropConnectLinear(20, 8, 0.5, new Generator(3));
        using var x = rand(4, 20, generator: new Generator(4)) + 0.5;
        using var mean = MaskAverage.Of(20_000, () => { using var noGrad = no_grad(); return layer.forward(x); });
        layer.eval();
        using var full = layer.forward(x);
        Assert.True(mean.allclose(full, rtol: 0.03, atol: 0.01), $"{mean.ToString(TorchSharp.TensorStringStyle.Julia)}\nvs\n{full.ToString(TorchSharp.TensorStringStyle.Julia)}");
    }

    [Fact]
    public void GradientsReachOnlyTheKeptWeightsAndTheBias()
    {
        using var layer = new DropConnectLinear(30, 10, 0.5, new Generator(5));
        using var x = rand(8, 30, generator: new Generator(6));
        using var y = layer.forward(x);
        y.sum().backward();
        using var droppedWeight = DropoutOps.DropoutLayer(layer.Inner.weight!, 0.5, new Generator(5));
        using var dropped = droppedWeight == 0;
        Assert.True(layer.Inner.weight!.grad!.masked_select(dropped).eq(0).all().item<bool>(), "a dropped weight gets no gradient");
        Assert.True(layer.Inner.weight!.grad!.masked_select(dropped.logical_not()).ne(0).all().item<bool>());
        Assert.True(layer.Inner.bias!.grad!.ne(0).all().item<bool>(), "the bias is never dropped");
    }

    [Fact]
    public void IsARegisteredModuleThatD2lsInitAndEvalReach()
    {
        using var net = nn.Sequential(("lin", new DropConnectLinear(256, 256, 0.2)));
        Assert.Equal(2, net.parameters().Count());
        random.manual_seed(0);
        net.apply(ConciseNet.InitWeights);
        var inner = ((DropConnectLinear)net.children().Single()).Inner;
        Assert.InRange(inner.weight!.std().item<float>(), 0.0095, 0.0105);
        net.eval();
        Assert.False(inner.training, "eval() must reach the inner layer");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void RejectsProbabilitiesOutsideZeroToOne(double p)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DropConnectLinear(2, 2, p));
        Assert.Contains("[0, 1)", e.Message);
    }
}
