using static TorchSharp.torch;

namespace Dropout.Regression;

/// <summary>The regression demo's training and test points as plain arrays, ready to plot.</summary>
/// <param name="TestX">The source's test_x; predictions are drawn at these.</param>
public sealed record RegressionPoints(float[] X, float[] Y, float[] TestX, float[] TestY)
{
    /// <summary>Copies four [n, 1] (or [n]) tensors.</summary>
    /// <exception cref="ArgumentException">A pair has different lengths.</exception>
    public static RegressionPoints Of(Tensor x, Tensor y, Tensor test_x, Tensor test_y)
    {
        var points = new RegressionPoints(Values(x), Values(y), Values(test_x), Values(test_y));
        if (points.X.Length != points.Y.Length || points.TestX.Length != points.TestY.Length)
            throw new ArgumentException($"x and y must have one value per point: got {points.X.Length} x and {points.Y.Length} y, {points.TestX.Length} test_x and {points.TestY.Length} test_y.");
        return points;
    }

    static float[] Values(Tensor t)
    {
        using var flat = t.detach().to_type(ScalarType.Float32).reshape(-1).cpu();
        return flat.data<float>().ToArray();
    }
}
