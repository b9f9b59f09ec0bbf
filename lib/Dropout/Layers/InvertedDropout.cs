using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary>CS231n's inverted dropout (keepProb = probability of keeping a unit): training multiplies by mask / keepProb,
/// eval returns the input. d2l's <c>dropout_layer</c> and <c>nn.Dropout</c> with keepProb = 1 - p.</summary>
public sealed class InvertedDropout : ModeDependentDropout
{
    /// <summary>The probability of keeping a unit, in (0, 1].</summary>
    public double KeepProb { get; }

    /// <summary>Creates the module; <paramref name="generator"/> (optional) makes its masks repeatable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">keepProb is not in (0, 1].</exception>
    public InvertedDropout(double keepProb, Generator? generator = null) : base(nameof(InvertedDropout), generator)
    {
        KeepProbabilityDropout.CheckKeepProbability(keepProb, nameof(keepProb));
        KeepProb = keepProb;
    }

    /// <inheritdoc/>
    protected override Tensor Train(Tensor x) => KeepProbabilityDropout.InvertedTrain(x, KeepProb, MaskGenerator);

    /// <inheritdoc/>
    protected override Tensor Eval(Tensor x) => KeepProbabilityDropout.InvertedPredict(x);
}
