using Dropout.Native;
using Dropout.Regression;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Tests.Regression;

/// <summary>The blog's L1 and L2: explicit penalties, and Adam's weight_decay, which never shows in the loss.</summary>
[Collection(SerialCollection.Name)] // seeds torch's global generator
public class RegularizationTests
{
    public RegularizationTests() => TorchNative.Ensure();

    static Linear KnownLinear()
    {
        var lin = nn.Linear(2, 2);
        using (no_grad())
        {
            lin.weight!.copy_(tensor(new float[] { 1, -2, 3, -4 }).reshape(2, 2));
            lin.bias!.copy_(tensor(new float[] { 0.5f, -0.5f }));
        }
        return lin;
    }

    [Fact]
    public void SumOfAbsIsTheL1NormOfAllParametersBiasesIncluded()
    {
        using var lin = KnownLinear();
        using var l1 = Regularization.SumOfAbs(lin.parameters());
        Assert.Equal(11.0, l1.item<float>(), 6);
        double lambda = 0.01;
        Assert.Equal(0.11, (lambda * l1).item<float>(), 6);
    }

    [Fact]
    public void SumOfAbsPushesEachWeightByItsSign()
    {
        using var lin = KnownLinear();
        Regularization.SumOfAbs(lin.parameters()).backward();
        Assert.Equal([1f, -1f, 1f, -1f], lin.weight!.grad!.reshape(-1).data<float>().ToArray());
        Assert.Equal([1f, -1f], lin.bias!.grad!.data<float>().ToArray());
    }

    [Fact]
    public void HalfSumOfSquaresHasTheWeightsAsGradient()
    {
        using var lin = KnownLinear();
        using var l2 = Regularization.HalfSumOfSquares(lin.parameters());
        Assert.Equal(0.5 * (1 + 4 + 9 + 16 + 0.25 + 0.25), l2.item<float>(), 5);
        l2.backward();
        Assert.True(TensorAssert.Same(lin.weight!.grad!, lin.weight));
    }

    [Fact]
    public void SmallWeightFractionCountsWeightEntriesBelowTheThresholdAndLeavesBiasesOut()
    {
        using var net = nn.Sequential(("0", KnownLinear()), ("1", nn.ReLU()), ("2", nn.Linear(2, 1)));
        using (no_grad())
        {
            var last = (Linear)net.named_children().Last().module;
            last.weight!.copy_(tensor(new float[] { 0.0005f, float.NaN }).reshape(1, 2));
            last.bias!.zero_();   // a bias of 0 is not counted
        }
        // 6 weight entries: 1, -2, 3, -4 (not small), 0.0005 (small), NaN (not small).
        Assert.Equal(1.0 / 6, Regularization.SmallWeightFraction(net, 1e-3), 12);
        Assert.Equal(2.0 / 6, Regularization.SmallWeightFraction(net, 1.5), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Regularization.SmallWeightFraction(net, 0));
        using var relu = nn.ReLU();
        Assert.Throws<ArgumentException>(() => Regularization.SmallWeightFraction(relu, 1e-3));
    }

    [Fact]
    public void NoParametersIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => Regularization.SumOfAbs([]));
        Assert.Contains("RegisterComponents", e.Message);
    }

    [Fact]
    public void TheBlogsSgdWeightDecayShrinksEachWeightByLrTimesLambdaTimesItselfAndNeverShowsInTheLoss()
    {
        // The blog's line: torch.optim.SGD(model.parameters(), lr=0.01, weight_decay=0.001). One step from the same
        // weights: w_decay = w_plain - lr·λ·w0 exactly (up to rounding), and the loss the decay run reports is the MSE.
        const double lr = 0.01, lambda = 0.001;
        random.manual_seed(9);
        var (x, y) = RegressionDemo.MakeData();
        using var plain = RegressionDemo.NetOverfitting(nHidden: 16);
        var start = RegressionDemo.CopyOfWeights(plain);
        using var decayed = RegressionDemo.NetOverfittingFrom(start, nHidden: 16);
        var optPlain = optim.SGD(plain.parameters(), lr);
        var optDecayed = optim.SGD(decayed.parameters(), lr, weight_decay: lambda);
        var lossPlain = nn.functional.mse_loss(plain.forward(x), y);
        var lossDecayed = nn.functional.mse_loss(decayed.forward(x), y);
        Assert.Equal(lossPlain.item<float>(), lossDecayed.item<float>());
        optPlain.zero_grad(); optDecayed.zero_grad();
        lossPlain.backward(); lossDecayed.backward();
        optPlain.step(); optDecayed.step();
        var w0 = start.Values.ToList();
        foreach (var ((p, d), w) in plain.parameters().Zip(decayed.parameters()).Zip(w0))
            Assert.True((p - d).allclose(lr * lambda * w, rtol: 0.05, atol: 2e-8), "SGD's weight_decay adds λ·w to the gradient");
        // Rounding aside, the shift is not zero: the largest weights move by lr·λ·|w| ≈ 1e-5·|w|.
        Assert.True(plain.parameters().Zip(decayed.parameters()).Max(t => (t.First - t.Second).abs().max().item<float>()) > 1e-6);
    }

    [Fact]
    public void WeightDecayChangesAdamsStepButNotTheReportedLossAndEqualsAnExplicitL2Penalty()
    {
        const double lr = 0.01, lambda = 0.1;
        random.manual_seed(8);
        var (x, y) = RegressionDemo.MakeData();
        using var plain = RegressionDemo.NetOverfitting(nHidden: 16);
        var start = RegressionDemo.CopyOfWeights(plain);
        using var decayed = RegressionDemo.NetOverfitting(nHidden: 16);
        decayed.load_state_dict(start);
        using var explicitL2 = RegressionDemo.NetOverfitting(nHidden: 16);
        explicitL2.load_state_dict(start);
        var optPlain = optim.Adam(plain.parameters(), lr);
        var optDecayed = optim.Adam(decayed.parameters(), lr, weight_decay: lambda);
        var optExplicit = optim.Adam(explicitL2.parameters(), lr);

        for (int step = 0; step < 5; step++)
        {
            var lossPlain = nn.functional.mse_loss(plain.forward(x), y);
            var lossDecayed = nn.functional.mse_loss(decayed.forward(x), y);
            var mseExplicit = nn.functional.mse_loss(explicitL2.forward(x), y);
            var lossExplicit = mseExplicit + lambda * Regularization.HalfSumOfSquares(explicitL2.parameters());
            if (step == 0)
            {
                // Same weights, same data: the loss the weight-decay run reports is the bare MSE, no penalty in it...
                Assert.Equal(lossPlain.item<float>(), lossDecayed.item<float>());
                // ...while the explicit L2 loss is larger by exactly λ·½Σw².
                Assert.True(lossExplicit.item<float>() > lossDecayed.item<float>() + 1e-3);
            }
            foreach (var o in new optim.Optimizer[] { optPlain, optDecayed, optExplicit }) o.zero_grad();
            lossPlain.backward(); lossDecayed.backward(); lossExplicit.backward();
            optPlain.step(); optDecayed.step(); optExplicit.step();
        }

        var pPlain = plain.parameters().ToList();
        var pDecayed = decayed.parameters().ToList();
        var pExplicit = explicitL2.parameters().ToList();
        double differsFromPlain = pPlain.Zip(pDecayed).Max(p => (p.First - p.Second).abs().max().item<float>());
        double differsFromExplicit = pExplicit.Zip(pDecayed).Max(p => (p.First - p.Second).abs().max().item<float>());
        Assert.True(differsFromPlain > 1e-4, $"weight_decay must change the step; max |Δw| = {differsFromPlain}");
        Assert.True(differsFromExplicit < 1e-5, $"Adam's weight_decay must equal an explicit λ·½Σw² in the loss; max |Δw| = {differsFromExplicit}");
        using var normPlain = Regularization.HalfSumOfSquares(plain.parameters());
        using var normDecayed = Regularization.HalfSumOfSquares(decayed.parameters());
        Assert.True(normDecayed.item<float>() < normPlain.item<float>(), "decay must shrink the weights");
    }
}
