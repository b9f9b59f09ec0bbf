using TorchSharp;
using static TorchSharp.torch;

using Dropout.Native;
using Dropout.Tests;
using Dropout.Layers;
using Dropout.Models;

namespace Dropout.Tests.Notebooks;

/// <summary>
/// notebooks/05-vanilla-vs-inverted-dropout.ipynb: the file's conventions, and the facts it teaches asserted on the library it
/// calls (the values it computes are asserted in <see cref="InvertedDropoutNotebookRunTests"/>).
/// </summary>
[Collection(SerialCollection.Name)] // seeds torch's global generator: parallel tests would draw from it too
public class InvertedDropoutNotebookTests
{
    public InvertedDropoutNotebookTests() => TorchNative.Ensure();

    [Fact]
    public void FollowsTheNotebookConventions() => NotebookFile.Load("05-vanilla-vs-inverted-dropout.ipynb").AssertFollowsConventions();

    // The facts the notebook teaches, on the library it calls.

    [Fact]
    public void VanillaAndInvertedAgreeInExpectationAtTheirOwnScales()
    {
        using var h = tensor(new float[] { 0.5f, 1, 2, 4 });
        var g = new Generator(11);
        using var vanilla = MaskAverage.Of(20_000, () => KeepProbabilityDropout.VanillaTrain(h, 0.5, g));
        using var inverted = MaskAverage.Of(20_000, () => KeepProbabilityDropout.InvertedTrain(h, 0.5, g));
        using var vanillaPredict = KeepProbabilityDropout.VanillaPredict(h, 0.5);
        Assert.True(vanilla.allclose(vanillaPredict, rtol: 0.03, atol: 0));
        Assert.True(inverted.allclose(KeepProbabilityDropout.InvertedPredict(h), rtol: 0.03, atol: 0));
    }

    [Fact]
    public void TheBlogsDoubleScalingShrinksEvalActivationsByOneMinusPAndTheFixRemovesIt()
    {
        using var X = rand(16, 784, generator: new Generator(2));
        using var blogNet = new DropoutMlp(layer => new CustomDropout(layer == 1 ? 0.2 : 0.5));
        using var fixedNet = new DropoutMlp(layer => new CustomDropoutFixed(layer == 1 ? 0.2 : 0.5));
        fixedNet.load_state_dict(blogNet.state_dict());
        blogNet.eval();
        fixedNet.eval();
        using var blog = blogNet.ForwardWithActivations(X);
        using var fixed_ = fixedNet.ForwardWithActivations(X);
        Assert.True(blog.H1.allclose(fixed_.H1 * 0.8, rtol: 1e-6, atol: 1e-7));

        // Averaged over masks, the training-mode layer-1 activation is the fixed eval one.
        blogNet.train();
        using var trainMean = MaskAverage.Of(500, () => { using var a = blogNet.ForwardWithActivations(X); return a.H1.clone(); });
        double ratio = fixed_.H1.mean().item<float>() / trainMean.mean().item<float>();
        Assert.InRange(ratio, 0.98, 1.02);
    }

    [Fact]
    public void MonteCarloDropoutIsTrainModeAveragingNotTheDeterministicPass()
    {
        random.manual_seed(3);
        using var net = new DropoutMlp(layer => new InvertedDropout(0.5));
        using var X = rand(64, 784);
        using var deterministic = MonteCarloDropout.DeterministicProbabilities(net, X);
        using var mc = MonteCarloDropout.Predict(net, X, samples: 20);
        Assert.False(mc.MeanProbabilities.allclose(deterministic, atol: 1e-6), "MC dropout must use dropout (train mode)");
        Assert.True(net.training, "the net's mode is restored (a new module trains)");
    }
}
