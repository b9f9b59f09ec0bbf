using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Models;

/// <summary>Samples with uncertainty in one range, and how often the model was right on them.</summary>
/// <param name="Bucket">1-based bucket number, from the least to the most uncertain.</param>
/// <param name="Accuracy">Fraction of them predicted right.</param>
public sealed record UncertaintyBucket(int Bucket, double MinUncertainty, double MaxUncertainty, long Count, double Accuracy);
