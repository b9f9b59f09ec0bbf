using static TorchSharp.torch;

namespace Dropout.Regression;

/// <summary>
/// One picture of Morvan's animation: both nets' eval-mode predictions on the test inputs after
/// <see cref="Step"/> training steps, and their test losses (MSE).
/// </summary>
/// <param name="Step">Training steps done when the picture was taken (1-based: 50 means after the 50th step).</param>
/// <param name="TestPredOverfitting">net_overfitting's predictions for test_x, in test_x's order.</param>
/// <param name="TestPredDropout">net_dropped's predictions for test_x (eval mode: dropout off).</param>
/// <param name="LossOverfitting">MSE of net_overfitting on the test set.</param>
/// <param name="LossDropout">MSE of net_dropped on the test set.</param>
public sealed record RegressionSnapshot(int Step, float[] TestPredOverfitting, float[] TestPredDropout, double LossOverfitting, double LossDropout)
{
    /// <summary>Copies the two prediction tensors (any shape, e.g. [20, 1]) and the two scalar losses into a snapshot.</summary>
    /// <exception cref="ArgumentException">The predictions differ in size, or a loss is not a one-element tensor.</exception>
    public static RegressionSnapshot Of(int step, Tensor testPredOverfitting, Tensor testPredDropout, Tensor lossOverfitting, Tensor lossDropout)
    {
        if (testPredOverfitting.numel() != testPredDropout.numel())
            throw new ArgumentException($"the two nets' predictions must have one value per test point; got {testPredOverfitting.numel()} and {testPredDropout.numel()}.");
        if (lossOverfitting.numel() != 1 || lossDropout.numel() != 1)
            throw new ArgumentException("each loss must be a scalar (a one-element tensor), as MSELoss with reduction mean returns.");
        return new RegressionSnapshot(step, Values(testPredOverfitting), Values(testPredDropout),
            lossOverfitting.to_type(ScalarType.Float64).item<double>(), lossDropout.to_type(ScalarType.Float64).item<double>());
    }

    /// <summary>"overfitting loss=0.0123" as the source's text prints it (<c>'%.4f'</c>).</summary>
    public string OverfittingText => $"overfitting loss={LossOverfitting.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>"dropout loss=0.0123" as the source's text prints it (<c>'%.4f'</c>).</summary>
    public string DropoutText => $"dropout loss={LossDropout.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}";

    static float[] Values(Tensor t)
    {
        using var flat = t.detach().to_type(ScalarType.Float32).reshape(-1).cpu();
        return flat.data<float>().ToArray();
    }
}
