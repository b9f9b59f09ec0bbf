using Dropout.Data;
using Dropout.Models;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Study;

/// <summary>Trains one (pair, seed) run and reports each finished epoch; the study's unit of work.</summary>
/// <param name="run">The pair and seed.</param>
/// <param name="onEpoch">Called after each epoch (progress).</param>
/// <param name="cancellationToken">Stops between minibatches.</param>
/// <returns>The metrics of every epoch, in order.</returns>
public delegate IReadOnlyList<EpochMetrics> StudyTrainer(StudyRun run, Action<EpochMetrics> onEpoch, CancellationToken cancellationToken);

/// <summary>
/// The source's experiment for one (pair, seed): d2l's MLP (concise or scratch) with the pair's dropout
/// probabilities, SGD, <c>CrossEntropyLoss(reduction='none')</c> and <see cref="D2l.TrainCh3"/> on Fashion-MNIST.
/// <para>
/// Reproducible on one machine: <c>torch.random.manual_seed(seed)</c> before the net is built fixes the
/// initial weights and every dropout mask (both use torch's global generator), and the minibatch order
/// comes from its own generator seeded with <see cref="ShuffleSeed"/>. The same (pair, seed) with the same
/// settings and the same number of torch threads gives the same numbers.
/// </para>
/// </summary>
public static class StudyTraining
{
    /// <summary>The seed of the minibatch shuffling of run <paramref name="seed"/> (kept apart from the global generator's stream).</summary>
    public static long ShuffleSeed(long seed) => unchecked(seed * 1_000_003 + 12_345);

    /// <summary>d2l's net for the settings and pair: 784 → hidden → hidden → 10.</summary>
    public static nn.Module<Tensor, Tensor> CreateNet(StudySettings settings, DropoutPair pair) =>
        settings.Model switch
        {
            "concise" => ConciseNet.Create(pair.P1, pair.P2, numHiddens1: settings.Hidden, numHiddens2: settings.Hidden),
            "scratch" => new ScratchNet(784, 10, settings.Hidden, settings.Hidden, pair.P1, pair.P2),
            _ => throw new ArgumentException($"model must be one of {string.Join(", ", StudySettings.Models)}; got '{settings.Model}'."),
        };

    /// <summary>
    /// One run on the given tensors (images [N,1,28,28] float, labels int64), all on <paramref name="device"/>.
    /// </summary>
    public static TrainingHistory TrainRun(StudySettings settings, StudyRun run,
        Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels,
        Device? device = null, Action<EpochMetrics>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        random.manual_seed(run.Seed);
        if (device is { type: DeviceType.CUDA }) cuda.manual_seed_all(run.Seed);
        var trainIter = new DataIter(trainImages, trainLabels, settings.BatchSize, shuffle: true, ShuffleSeed(run.Seed));
        var testIter = new DataIter(testImages, testLabels, settings.BatchSize, shuffle: false);
        using var net = CreateNet(settings, run.Pair);
        if (device is not null) net.to(device);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        using var trainer = optim.SGD(net.parameters(), settings.Lr);
        return FastTrainer.TrainCh3(net, trainIter, testIter, loss, settings.Epochs, trainer, onEpoch, cancellationToken);
    }

    /// <summary>
    /// A <see cref="StudyTrainer"/> on Fashion-MNIST as loaded (with the settings' limits applied by the loader).
    /// With a CUDA <paramref name="device"/> the data is copied there once.
    /// </summary>
    public static StudyTrainer ForData(StudySettings settings, FashionMnistData data, Device? device = null)
    {
        bool move = device is not null && device.type != DeviceType.CPU;
        var trainImages = move ? data.Train.Images.to(device!) : data.Train.Images;
        var trainLabels = move ? data.Train.Labels.to(device!) : data.Train.Labels;
        var testImages = move ? data.Test.Images.to(device!) : data.Test.Images;
        var testLabels = move ? data.Test.Labels.to(device!) : data.Test.Labels;
        return (run, onEpoch, ct) => TrainRun(settings, run, trainImages, trainLabels, testImages, testLabels, device, onEpoch, ct);
    }
}
