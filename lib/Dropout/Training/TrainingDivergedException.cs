namespace Dropout.Training;

/// <summary>Training produced a NaN or infinite loss (the usual cure: a lower learning rate).</summary>
public sealed class TrainingDivergedException(int epoch, int step, double loss)
    : Exception($"training diverged at epoch {epoch}, step {step}: the loss is {loss}. Lower the learning rate or check the data.")
{
    /// <summary>The epoch (1-based) in which the loss stopped being finite.</summary>
    public int Epoch { get; } = epoch;
    /// <summary>The step (1-based, within the epoch) whose loss was not finite.</summary>
    public int Step { get; } = step;
    /// <summary>The offending loss value.</summary>
    public double Loss { get; } = loss;
}
