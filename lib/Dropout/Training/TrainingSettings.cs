using System.Globalization;

namespace Dropout.Training;

/// <summary>How d2l trains (<c>num_epochs, lr, batch_size = 10, 0.5, 256</c>), plus weight decay for the exercises.</summary>
/// <param name="NumEpochs">Passes over the training data (d2l: 10).</param>
/// <param name="Lr">SGD's learning rate (d2l: 0.5).</param>
/// <param name="BatchSize">Minibatch size (d2l: 256).</param>
/// <param name="WeightDecay">L2 weight decay λ on the weights, not the biases (d2l §4.5); 0 for none.</param>
public sealed record TrainingSettings(int NumEpochs = 10, double Lr = 0.5, int BatchSize = 256, double WeightDecay = 0)
{
    /// <summary>The most epochs a run takes (the loop keeps one record per epoch).</summary>
    public const int MaxEpochs = 10_000;

    /// <summary>True when <paramref name="lr"/> is positive and finite as float32, the parameters' type (1e308 would
    /// overflow, 1e-50 would become 0).</summary>
    public static bool IsLearningRate(double lr) => lr > 0 && (float)lr is var single && float.IsFinite(single) && single > 0;

    /// <summary>Checks every setting, as every settings record of the project does.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The first setting that cannot be trained, and what it must be.</exception>
    public void Validate()
    {
        Require(NumEpochs is >= 1 and <= MaxEpochs, nameof(NumEpochs), NumEpochs, $"between 1 and {MaxEpochs:N0}");
        Require(IsLearningRate(Lr), nameof(Lr), Lr, string.Create(CultureInfo.InvariantCulture,
            $"a positive number that float32 can hold ({float.Epsilon:R} to {float.MaxValue:R})"));
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "0 or a positive number");
    }

    /// <summary>The one way a setting is refused: "NumEpochs must be between 1 and 10,000; got 0."</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="ok"/> is false.</exception>
    public static void Require(bool ok, string name, object value, string expected)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value,
            $"{name} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.");
    }
}
