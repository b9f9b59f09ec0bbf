namespace Dropout.Exercises;

/// <summary>How <see cref="ExerciseTrainer"/> trains: d2l's defaults (SGD, lr 0.5, batch 256) unless an exercise changes them.</summary>
/// <param name="NumEpochs">Passes over the training data.</param>
/// <param name="Lr">SGD's learning rate (d2l: 0.5).</param>
/// <param name="BatchSize">Minibatch size (d2l: 256).</param>
/// <param name="WeightDecay">L2 weight decay λ on the weights (not the biases, as d2l §4.5 does); 0 for none.</param>
public sealed record ExerciseSettings(int NumEpochs, double Lr = 0.5, int BatchSize = 256, double WeightDecay = 0)
{
    /// <summary>Validates the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive, or the learning rate or weight decay is negative or not finite.</exception>
    public void Check()
    {
        if (NumEpochs <= 0) throw new ArgumentOutOfRangeException(nameof(NumEpochs), NumEpochs, $"the number of epochs must be positive; got {NumEpochs}.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"the batch size must be positive; got {BatchSize}.");
        if (!double.IsFinite(Lr) || Lr <= 0) throw new ArgumentOutOfRangeException(nameof(Lr), Lr, $"the learning rate must be positive; got {Lr}.");
        if (!double.IsFinite(WeightDecay) || WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, $"weight decay must be 0 or positive; got {WeightDecay}.");
    }
}
