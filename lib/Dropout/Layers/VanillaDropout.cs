using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary>CS231n's vanilla dropout (keepProb = probability of keeping a unit): training multiplies by a 0/1 mask,
/// eval scales by keepProb. Not recommended (prediction must know about dropout); compare <see cref="InvertedDropout"/>.</summary>
public sealed class VanillaDropout : ModeDependentDropout
{
    /// <summary>The probability of keeping a unit, in (0, 1].</summary>
    public double KeepProb { get; }

    /// <summary>Creates the module; <paramref name="generator"/> (optional) makes its masks repeatable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">keepProb is not in (0, 1].</exception>
    public VanillaDropout(double keepProb, Generator? generator = null) : base(nameof(VanillaDropout), generator)
    {
        KeepProbabilityDropout.CheckKeepProbability(keepProb, nameof(keepProb));
        KeepProb = keepProb;
    }

    /// <inheritdoc/>
    protected override Tensor Train(Tensor x) => KeepProbabilityDropout.VanillaTrain(x, KeepProb, MaskGenerator);

    /// <inheritdoc/>
    protected override Tensor Eval(Tensor x) => KeepProbabilityDropout.VanillaPredict(x, KeepProb);
}
