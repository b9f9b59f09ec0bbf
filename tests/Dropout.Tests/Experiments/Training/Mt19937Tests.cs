using System.Runtime.InteropServices;
using Dropout.Experiments.Training;
using Dropout.Layers;
using Dropout.Native;
using static TorchSharp.torch;

namespace Dropout.Tests.Experiments.Training;

/// <summary>
/// The managed Mersenne Twister against libtorch's generator. <c>rand(n, float64)</c> draws, on every CPU, one
/// <c>random64()</c> per element and keeps its low 53 bits as u in [0, 1): exactly the u that
/// <see cref="Mt19937.FillBernoulli"/> compares with p. Serial: it seeds and reads torch's global generator.
/// </summary>
[Collection(SerialCollection.Name)]
public class Mt19937Tests
{
    public Mt19937Tests() => TorchNative.Ensure();

    // Draws before the comparison put the generator at odd and even positions, fresh after seeding, and near a twist.
    [Theory]
    [InlineData(0, 65536, 0.5)]
    [InlineData(7, 1001, 0.8)]
    [InlineData(311, 4097, 0.2)]
    [InlineData(621, 3, 0.5)]
    [InlineData(622, 20000, 1e-3)]
    [InlineData(5, 640, 0.9999)]
    public void BernoulliDrawsWhatRandDrawsAndLeavesTheGeneratorWhereRandDoes(int warmUpDraws, int n, double p)
    {
        random.manual_seed(42);
        if (warmUpDraws > 0) rand(warmUpDraws).Dispose(); // float32: one 32-bit output each
        using var start = random.get_rng_state();
        using var u = rand(n, dtype: float64);
        using var expected = (u < p).to_type(float32);
        using var expectedState = random.get_rng_state();

        var generator = new Mt19937();
        generator.Load(start.bytes);
        var mask = new float[n];
        generator.FillBernoulli(mask, p);
        var state = start.bytes.ToArray();
        generator.Store(state);

        Assert.Equal(expected.data<float>().ToArray(), mask);
        Assert.Equal(expectedState.bytes.ToArray(), state);
    }

    [Fact]
    public void LoadAndStoreLeaveTheStateAsItWas()
    {
        random.manual_seed(3);
        rand(10).Dispose();
        using var state = random.get_rng_state();
        var generator = new Mt19937();
        generator.Load(state.bytes);
        var copy = new byte[Mt19937.StateBytes];
        state.bytes.CopyTo(copy);
        generator.Store(copy);
        Assert.Equal(state.bytes.ToArray(), copy);
    }

    [Fact]
    public void ThirtyTwoBitOutputsAreLibtorchs()
    {
        // No torch op hands out raw 32-bit outputs, but rand(float32) is the low 24 bits of one output each, over 2^24.
        random.manual_seed(9);
        using var start = random.get_rng_state();
        using var expected = rand(2000);
        var generator = new Mt19937();
        generator.Load(start.bytes);
        var mine = Enumerable.Range(0, 2000).Select(_ => (generator.NextUInt32() & ((1u << 24) - 1)) * (1.0f / (1 << 24))).ToArray();
        Assert.Equal(expected.data<float>().ToArray(), mine);
    }

    [Fact]
    public void AStateOfAnotherLayoutIsRefused()
    {
        var generator = new Mt19937();
        Assert.Throws<ArgumentException>(() => generator.Load(new byte[100]));
        Assert.Throws<ArgumentException>(() => generator.Load(new byte[Mt19937.StateBytes])); // left = 0: not a twister state
    }
}
