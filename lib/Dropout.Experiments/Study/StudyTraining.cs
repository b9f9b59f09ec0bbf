using Dropout.Data;
using Dropout.Experiments.Training;
using Dropout.Models;
using Dropout.Study;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Experiments.Study;

/// <summary>Trains one (pair, seed) run and reports each finished epoch; the study's unit of work.</summary>
/// <param name="cancellationToken">Stops between minibatches.</param>
/// <returns>The metrics of every epoch, in order.</returns>
public delegate IReadOnlyList<EpochMetrics> StudyTrainer(SeededRun run, Action<EpochMetrics> onEpoch, CancellationToken cancellationToken);

/// <summary>
/// The source's experiment for one (pair, seed): <see cref="SeededTraining.Train"/> (every random number from the run's
/// own generator) with <see cref="FastTrainer"/>, so it gives notebook 04's numbers whatever trains beside it.
/// </summary>
public static class StudyTraining
{
    /// <summary>d2l's net for the settings and pair, 784 → hidden → hidden → 10, its random numbers from <paramref name="generator"/>.</summary>
    public static nn.Module<Tensor, Tensor> CreateNet(StudySettings settings, DropoutPair pair, Generator generator) =>
        settings.Model switch
        {
            "concise" => ConciseNet.Create(pair.P1, pair.P2, numHiddens1: settings.Hidden, numHiddens2: settings.Hidden, generator: generator),
            "scratch" => new ScratchNet(784, 10, settings.Hidden, settings.Hidden, pair.P1, pair.P2, generator),
            _ => throw new ArgumentException($"model must be one of {string.Join(", ", StudySettings.Models)}; got '{settings.Model}'."),
        };

    /// <summary>A <see cref="StudyTrainer"/> on Fashion-MNIST as loaded (with the settings' limits applied by the loader).</summary>
    public static StudyTrainer ForData(StudySettings settings, FashionMnistData data)
    {
        settings.Validate();
        var train = new DataIter(data.Train.Images, data.Train.Labels, settings.BatchSize, shuffle: true, generator: null);
        var test = new DataIter(data.Test.Images, data.Test.Labels, settings.BatchSize, shuffle: false);
        return (run, onEpoch, ct) => SeededTraining.Train(run.Seed, g => CreateNet(settings, run.Pair, g), train, test,
            settings.Training, FastTrainer.TrainCh3, onEpoch: onEpoch, cancellationToken: ct);
    }
}
