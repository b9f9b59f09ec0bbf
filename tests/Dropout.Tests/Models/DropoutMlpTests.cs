using Dropout.Layers;
using Dropout.Models;
using Dropout.Native;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Tests.Models;

[Collection(SerialCollection.Name)] // seeds torch's global generator: parallel tests would draw from it too
public class DropoutMlpTests
{
    public DropoutMlpTests() => TorchNative.Ensure();

    [Fact]
    public void ParametersAreTheThreeLinearLayersAndEvalReachesTheDropoutModules()
    {
        using var net = new DropoutMlp(layer => new InvertedDropout(layer == 1 ? 0.8 : 0.5));
        Assert.Equal(["256x784", "256", "256x256", "256", "10x256", "10"], net.parameters().Select(p => string.Join("x", p.shape)).ToList());
        Assert.Equal(0.8, ((InvertedDropout)net.Dropout1).KeepProb);
        Assert.Equal(0.5, ((InvertedDropout)net.Dropout2).KeepProb);
        net.eval();
        Assert.False(net.Dropout1.training);
        Assert.False(net.Dropout2.training);
        net.train();
        Assert.True(net.Dropout2.training);
    }

    [Fact]
    public void TheFactorySeesTheLayerNumbersAndMustReturnNewModules()
    {
        var asked = new List<int>();
        using var net = new DropoutMlp(layer => { asked.Add(layer); return new InvertedDropout(1); });
        Assert.Equal([1, 2], asked);
        var shared = new InvertedDropout(0.5);
        var e = Assert.Throws<ArgumentException>(() => new DropoutMlp(_ => shared));
        Assert.Contains("same module", e.Message);
    }

    [Fact]
    public void ActivationsInEvalModeShowTheBlogsShrinkAndTheFix()
    {
        using var buggy = new DropoutMlp(_ => new CustomDropout(0.5));
        using var fixed_ = new DropoutMlp(_ => new CustomDropoutFixed(0.5));
        fixed_.load_state_dict(buggy.state_dict());
        buggy.eval();
        fixed_.eval();
        using var X = rand(16, 784, generator: new Generator(1));
        using var b = buggy.ForwardWithActivations(X);
        using var f = fixed_.ForwardWithActivations(X);
        Assert.True(b.H1.allclose(f.H1 * 0.5), "layer 1 eval activations must be exactly halved");
        using var forward = buggy.forward(X);
        Assert.True(TensorAssert.Same(forward, b.Output), "forward and ForwardWithActivations must agree");
    }

    [Fact]
    public void VanillaWeightsWithOutgoingWeightsScaledByKeepProbAreAnInvertedNetComputingTheSameFunction()
    {
        const double k1 = 0.8, k2 = 0.5;
        using var vanilla = new DropoutMlp(layer => new VanillaDropout(layer == 1 ? k1 : k2, new Generator((ulong)layer)));
        using var inverted = new DropoutMlp(layer => new InvertedDropout(layer == 1 ? k1 : k2, new Generator((ulong)layer)));
        inverted.load_state_dict(vanilla.state_dict());
        inverted.ScaleOutgoingWeights(k1, k2);
        using var X = rand(32, 784, generator: new Generator(3));
        using var noGrad = no_grad();

        vanilla.eval();
        inverted.eval();
        using var vanillaPredict = vanilla.forward(X);
        using var invertedPredict = inverted.forward(X);
        Assert.True(vanillaPredict.allclose(invertedPredict, rtol: 1e-4, atol: 1e-5), "prediction outputs must match");

        vanilla.train();
        inverted.train();
        using var vanillaTrain = vanilla.forward(X);   // the same masks: both generators start from the same seeds
        using var invertedTrain = inverted.forward(X);
        Assert.True(vanillaTrain.allclose(invertedTrain, rtol: 1e-4, atol: 1e-5), "training outputs with the same masks must match");

        // Without the folding the two disagree: the scale is not a detail.
        using var unfolded = new DropoutMlp(layer => new InvertedDropout(layer == 1 ? k1 : k2));
        unfolded.load_state_dict(vanilla.state_dict());
        unfolded.eval();
        using var unfoldedPredict = unfolded.forward(X);
        Assert.False(vanillaPredict.allclose(unfoldedPredict, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void ScaleOutgoingWeightsRejectsNonFiniteScales()
    {
        using var net = new DropoutMlp(_ => new InvertedDropout(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.ScaleOutgoingWeights(double.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.ScaleOutgoingWeights(1, double.PositiveInfinity));
    }

    [Fact]
    public void EveryVariantTrainsOnSyntheticData()
    {
        Func<int, nn.Module<Tensor, Tensor>>[] factories =
        [
            layer => new VanillaDropout(layer == 1 ? 0.8 : 0.5),
            layer => new InvertedDropout(layer == 1 ? 0.8 : 0.5),
            layer => new CustomDropout(layer == 1 ? 0.2 : 0.5),
        ];
        foreach (var factory in factories)
        {
            random.manual_seed(0);
            using var net = new DropoutMlp(factory);
            var (train, test) = SyntheticData.Iterators();
            var history = D2l.TrainCh3(net, train, test, nn.CrossEntropyLoss(reduction: nn.Reduction.None), 3, optim.SGD(net.parameters(), 0.5));
            Assert.True(history.Final.TestAcc > 0.9, $"{net.Dropout1.GetName()}: test acc {history.Final.TestAcc}");
        }
    }
}
