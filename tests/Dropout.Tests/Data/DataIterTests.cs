using Dropout.Data;
using Dropout.Native;
using static TorchSharp.torch;

namespace Dropout.Tests.Data;

public class DataIterTests
{
    public DataIterTests() => TorchNative.Ensure();

    [Fact]
    public void ShuffledPassVisitsEverySampleOnceInBatches()
    {
        using var x = arange(10, dtype: float32).reshape(10, 1);
        using var y = arange(10, dtype: int64);
        var iter = new DataIter(x, y, 4, shuffle: true, seed: 7);
        var batches = iter.ToList();
        Assert.Equal([4, 4, 2], batches.Select(b => (int)b.X.shape[0]));
        var seen = batches.SelectMany(b => b.y.data<long>().ToArray()).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => (long)i), seen);
        // Features travel with their labels.
        Assert.All(batches, b => Assert.Equal(b.y.to_type(float32).data<float>().ToArray(), b.X.flatten().data<float>().ToArray()));
        Assert.Equal(3, iter.BatchCount);
    }

    [Fact]
    public void SameSeedSameOrderAndEachPassReshuffles()
    {
        using var x = arange(100, dtype: float32).reshape(100, 1);
        using var y = arange(100, dtype: int64);
        long[] Order(DataIter it) => it.SelectMany(b => b.y.data<long>().ToArray()).ToArray();
        var a = new DataIter(x, y, 32, true, seed: 3);
        var b = new DataIter(x, y, 32, true, seed: 3);
        var first = Order(a);
        Assert.Equal(first, Order(b));
        Assert.NotEqual(first, Order(a));
    }

    [Fact]
    public void UnshuffledKeepsOrder()
    {
        using var x = arange(5, dtype: float32).reshape(5, 1);
        using var y = arange(5, dtype: int64);
        var order = new DataIter(x, y, 2, shuffle: false).SelectMany(b => b.y.data<long>().ToArray());
        Assert.Equal([0L, 1, 2, 3, 4], order);
    }

    [Fact]
    public void BadArgumentsAreRejectedClearly()
    {
        using var x = zeros(5, 1);
        using var y = zeros(4, dtype: int64);
        Assert.Contains("5 samples but labels have 4", Assert.Throws<ArgumentException>(() => new DataIter(x, y, 2, false)).Message);
        using var y5 = zeros(5, dtype: int64);
        Assert.Contains("must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => new DataIter(x, y5, 0, false)).Message);
    }
}
