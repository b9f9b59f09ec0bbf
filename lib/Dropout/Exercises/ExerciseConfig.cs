using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Exercises;

/// <summary>
/// One configuration an exercise trains. <see cref="CreateNet"/> draws every random number of the net from the run's
/// generator, initial weights first, then training noise (dropout masks, DropConnect's, Gaussian noise): runs can train
/// side by side, and configurations of the same shape start from the same weights for the same seed.
/// </summary>
/// <param name="Name">How tables and answers name it, e.g. "dropout 0.2/0.5" or "no dropout, λ 0.001".</param>
public sealed record ExerciseConfig(string Name, Func<Generator, nn.Module<Tensor, Tensor>> CreateNet, TrainingSettings Settings)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
