using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary>CS231n's two ways of writing dropout. <c>keepProb</c> (CS231n's <c>p</c>) is the probability of KEEPING a
/// unit; d2l's and PyTorch's p drops it, so keepProb = 1 - p. Vanilla: training multiplies by a 0/1 mask, prediction
/// scales by keepProb. Inverted: training multiplies by mask / keepProb, prediction does nothing.</summary>
public static class KeepProbabilityDropout
{
    /// <summary>A 0/1 mask of <paramref name="shape"/>, 1 with probability <paramref name="keepProb"/>
    /// (CS231n: <c>np.random.rand(*H.shape) &lt; p</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">keepProb is not in (0, 1].</exception>
    public static Tensor KeepMask(long[] shape, double keepProb, ScalarType dtype = ScalarType.Float32, Device? device = null, Generator? generator = null)
    {
        CheckKeepProbability(keepProb, nameof(keepProb));
        using var u = rand(shape, dtype: dtype, device: device, generator: generator);
        return (u < keepProb).to_type(dtype);
    }

    /// <summary>CS231n vanilla dropout while training: <c>H *= (rand &lt; p)</c>. Kept units are NOT rescaled.</summary>
    /// <exception cref="ArgumentOutOfRangeException">keepProb is not in (0, 1].</exception>
    public static Tensor VanillaTrain(Tensor H, double keepProb, Generator? generator = null)
    {
        using var mask = KeepMask(H.shape, keepProb, H.dtype, H.device, generator);
        return H * mask;
    }

    /// <summary>CS231n vanilla dropout at prediction time: every unit is kept and scaled by keepProb (its expected training value).</summary>
    /// <exception cref="ArgumentOutOfRangeException">keepProb is not in (0, 1].</exception>
    public static Tensor VanillaPredict(Tensor H, double keepProb)
    {
        CheckKeepProbability(keepProb, nameof(keepProb));
        return H * keepProb;
    }

    /// <summary>CS231n inverted dropout while training: <c>H *= (rand &lt; p) / p</c>, so E[output] = H.</summary>
    /// <exception cref="ArgumentOutOfRangeException">keepProb is not in (0, 1].</exception>
    public static Tensor InvertedTrain(Tensor H, double keepProb, Generator? generator = null)
    {
        using var mask = KeepMask(H.shape, keepProb, H.dtype, H.device, generator);
        return H * mask / keepProb;
    }

    /// <summary>CS231n inverted dropout at prediction time: "no scaling necessary" — returns <paramref name="H"/> itself.</summary>
    public static Tensor InvertedPredict(Tensor H) => H;

    /// <summary>Rejects a keep probability that is NaN or outside (0, 1]: keepProb = 0 keeps no unit (and inverted
    /// dropout would divide by 0).</summary>
    public static void CheckKeepProbability(double keepProb, string name)
    {
        if (double.IsNaN(keepProb) || keepProb <= 0 || keepProb > 1)
            throw new ArgumentOutOfRangeException(name, keepProb,
                $"a keep probability (CS231n's p) must be in (0, 1]; got {name} = {keepProb}. " +
                "If you meant d2l's dropout probability, pass keepProb = 1 - dropProb; keepProb = 0 would keep no unit at all.");
    }
}
