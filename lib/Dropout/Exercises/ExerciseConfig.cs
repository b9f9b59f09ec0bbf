using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Exercises;

/// <summary>
/// One configuration an exercise trains: its name, how to build its net, and how to train it. <see cref="CreateNet"/>
/// takes the run's own generator and draws every random number of the net from it — the initial weights first, then the
/// noise while training (dropout masks, DropConnect's, Gaussian noise) — so runs can train side by side
/// (<see cref="Training.ParallelRuns"/>), and two configurations of the same shape start from the same weights for the
/// same seed.
/// </summary>
/// <param name="Name">How tables and answers name it, e.g. "dropout 0.2/0.5" or "no dropout, λ 0.001".</param>
/// <param name="CreateNet">Builds a fresh net from the run's generator.</param>
/// <param name="Settings">Epochs, learning rate, batch size, weight decay.</param>
public sealed record ExerciseConfig(string Name, Func<Generator, nn.Module<Tensor, Tensor>> CreateNet, TrainingSettings Settings)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
