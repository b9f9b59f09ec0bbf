using TorchSharp;

namespace Dropout.Data;

/// <summary>
/// One split of Fashion-MNIST as d2l's <c>ToTensor</c> gives it: <see cref="Images"/> is
/// <c>[N, 1, 28, 28]</c> float32 in [0, 1] (byte / 255), <see cref="Labels"/> is <c>[N]</c> int64 in 0..9.
/// The split owns both tensors; dispose it to free them.
/// </summary>
/// <param name="Images">The images, <c>[N, 1, 28, 28]</c> float32 in [0, 1].</param>
/// <param name="Labels">The class of each image, <c>[N]</c> int64 in 0..9 (see <see cref="FashionMnist.ClassNames"/>).</param>
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
