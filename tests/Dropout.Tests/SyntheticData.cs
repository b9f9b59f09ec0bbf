using Dropout.Data;
using static TorchSharp.torch;

namespace Dropout.Tests;

/// <summary>Small, learnable stand-ins for Fashion-MNIST: class c lights up rows 2c..2c+2 of a noisy 28×28 image.</summary>
static class SyntheticData
{
    public static (Tensor Images, Tensor Labels) Images(int n, long seed)
    {
        var g = new Generator((ulong)seed);
        var labels = randint(0, 10, [n], dtype: int64, generator: g);
        var images = rand(n, 1, 28, 28, generator: g) * 0.3;
        var labelValues = labels.data<long>().ToArray();
        for (int i = 0; i < n; i++)
            images[i, 0, TensorIndex.Slice(2 * labelValues[i], 2 * labelValues[i] + 3)] += 0.7;
        return (images.clamp(0, 1), labels);
    }

    public static (DataIter Train, DataIter Test) Iterators(int trainN = 1024, int testN = 256, int batchSize = 64, long seed = 1)
    {
        var (xTrain, yTrain) = Images(trainN, seed);
        var (xTest, yTest) = Images(testN, seed + 100);
        return (new DataIter(xTrain, yTrain, batchSize, shuffle: true, seed), new DataIter(xTest, yTest, batchSize, shuffle: false));
    }
}
