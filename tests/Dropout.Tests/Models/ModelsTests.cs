using Dropout.Models;
using Dropout.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Tests.Models;

public class ModelsTests
{
    public ModelsTests() => TorchNative.Ensure();

    public static TheoryData<string> Models => new() { "scratch", "concise" };

    static nn.Module<Tensor, Tensor> Build(string kind) => kind == "scratch"
        ? new ScratchNet(784, 10, 256, 256, 0.2, 0.5)
        : ConciseNet.Create(0.2, 0.5);

    [Theory]
    [MemberData(nameof(Models))]
    public void ParametersSeeAllSixTensors(string kind)
    {
        using var net = Build(kind);
        var shapes = net.parameters().Select(p => string.Join("x", p.shape)).ToList();
        Assert.Equal(["256x784", "256", "256x256", "256", "10x256", "10"], shapes);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void EvalTurnsDropoutOffAndTrainTurnsItOn(string kind)
    {
        using var net = Build(kind);
        using var X = rand(8, 1, 28, 28, generator: new Generator(1));
        net.eval();
        using (no_grad())
        {
            using var a = net.forward(X);
            using var b = net.forward(X);
            Assert.True(TensorAssert.Same(a, b));
            net.train();
            using var c = net.forward(X);
            using var d = net.forward(X);
            Assert.False(TensorAssert.Same(c, d));
        }
    }

    [Fact]
    public void ScratchNetWithoutDropoutIsDeterministicEvenInTraining()
    {
        using var net = new ScratchNet(784, 10, 256, 256, 0, 0);
        using var X = rand(4, 784);
        net.train();
        using var a = net.forward(X);
        using var b = net.forward(X);
        Assert.True(TensorAssert.Same(a, b));
    }

    [Fact]
    public void BadProbabilitiesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScratchNet(784, 10, 256, 256, 1.2, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConciseNet.Create(0.2, double.NaN));
    }

    [Fact]
    public void InitWeightsDrawsLinearWeightsFromNormalWithStd001AndLeavesBiases()
    {
        using var net = ConciseNet.Create(0.2, 0.5);
        var linears = net.modules().OfType<Linear>().ToList();
        Assert.Equal(3, linears.Count);
        foreach (var linear in linears)
        {
            double std = linear.weight!.std().item<float>();
            double mean = linear.weight!.mean().item<float>();
            Assert.InRange(std, 0.0095, 0.0105);
            Assert.InRange(mean, -0.001, 0.001);
        }
        // PyTorch's default bias init is U(-1/sqrt(fan_in), 1/sqrt(fan_in)): lin1's std ≈ 0.0206, not 0.01.
        double biasStd = linears[0].bias!.std().item<float>();
        Assert.InRange(biasStd, 0.016, 0.025);
    }
}
