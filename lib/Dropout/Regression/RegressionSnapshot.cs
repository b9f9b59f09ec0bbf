using static TorchSharp.torch;

namespace Dropout.Regression;

/// <summary>One picture of Morvan's animation: both nets' eval-mode test predictions and test MSEs.</summary>
/// <param name="Step">Training steps done (1-based: 50 means after the 50th step).</param>
public sealed record RegressionSnapshot(int Step, float[] TestPredOverfitting, float[] TestPredDropout, double LossOverfitting, double LossDropout)
{
    /// <summary>Copies the two prediction tensors (any shape, e.g. [20, 1]) and the two scalar losses.</summary>
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
