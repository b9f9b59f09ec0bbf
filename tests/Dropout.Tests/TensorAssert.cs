using static TorchSharp.torch;

namespace Dropout.Tests;

static class TensorAssert
{
    /// <summary>Same shape and every element equal.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}

static class MaskAverage
{
    /// <summary>The mean of <paramref name="count"/> draws of <paramref name="draw"/>, accumulated one at a time.</summary>
    public static Tensor Of(int count, Func<Tensor> draw)
    {
        Tensor? sum = null;
        for (int i = 0; i < count; i++)
        {
            using var sample = draw();
            if (sum is null) sum = sample.to_type(ScalarType.Float64);
            else sum.add_(sample);
        }
        using (sum) return (sum! / count).to_type(ScalarType.Float32);
    }
}
