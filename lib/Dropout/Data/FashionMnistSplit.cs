using TorchSharp;

namespace Dropout.Data;

/// <summary>One Fashion-MNIST split as d2l's <c>ToTensor</c> gives it; dispose it to free both tensors.</summary>
/// <param name="Images"><c>[N, 1, 28, 28]</c> float32 in [0, 1] (byte / 255).</param>
/// <param name="Labels"><c>[N]</c> int64 in 0..9 (see <see cref="FashionMnist.ClassNames"/>).</param>
public sealed record FashionMnistSplit(torch.Tensor Images, torch.Tensor Labels) : IDisposable
{
    /// <summary>The number of samples, N.</summary>
    public long Count => Labels.shape[0];

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
