using System.Diagnostics;
using Dropout.Data;
using Dropout.Platform;
using Dropout.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Exercises;

/// <summary>
/// Trains one configuration from one seed with d2l's loop, <see cref="D2l.TrainCh3"/>, and what the exercises add
/// around it: a seed for everything random, weight decay on the weights, measurements after every epoch, and a run
/// that diverges recorded as a result (by <see cref="TrainingDivergence.Rule"/>) instead of stopping the notebook.
/// </summary>
public static class ExerciseTrainer
{
    static readonly IReadOnlyDictionary<string, double> NoMeasures = new Dictionary<string, double>();

    /// <summary>
    /// Seeds torch's global generator with <paramref name="seed"/> (the initial weights and the dropout masks), builds
    /// the net with <paramref name="createNet"/>, and trains it on <paramref name="train"/>'s samples — visited in an
    /// order shuffled by <paramref name="seed"/> — with d2l's <c>train_ch3</c>: SGD on <c>CrossEntropyLoss(reduction
    /// none)</c>, test accuracy on <paramref name="test"/> after every epoch. After each epoch <paramref name="measure"/>
    /// (optional) adds the exercise's own measurements of the net. The same seed and settings give the same numbers
    /// (for the same torch thread count, which the run sets to <see cref="ExerciseSettings.Threads"/> and restores).
    /// </summary>
    /// <remarks>A NaN or infinite loss ends the run early, recorded as diverged with the epochs trained before it.</remarks>
    public static ExerciseRun Train(
        string config, long seed, Func<nn.Module<Tensor, Tensor>> createNet, DataIter train, DataIter test, ExerciseSettings settings,
        Func<nn.Module<Tensor, Tensor>, IReadOnlyDictionary<string, double>>? measure = null, CancellationToken cancellationToken = default)
    {
        settings.Check();
        using var threads = TorchThreads.Limit(settings.Threads);
        var clock = Stopwatch.StartNew();
        random.manual_seed(seed);
        using var net = createNet();
        var trainIter = new DataIter(train.Features, train.Labels, settings.BatchSize, shuffle: true, seed);
        var updater = Sgd(net, settings.Lr, settings.WeightDecay);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        var epochs = new List<ExerciseEpoch>(settings.NumEpochs);
        TrainingDivergence? divergence = null;
        try
        {
            D2l.TrainCh3(net, trainIter, test, loss, settings.NumEpochs, updater,
                e => epochs.Add(new ExerciseEpoch(e, measure?.Invoke(net) ?? NoMeasures)), cancellationToken);
        }
        catch (TrainingDivergedException e)
        {
            divergence = new TrainingDivergence(e.Epoch, e.Loss, epochs.Count > 0 ? epochs[0].Metrics.TrainLoss : e.Loss);
        }
        divergence ??= TrainingDivergence.Find(epochs.Select(e => e.Metrics).ToList());
        return new ExerciseRun(config, seed, epochs, divergence, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// d2l's SGD (<c>torch.optim.SGD(net.parameters(), lr)</c>); with <paramref name="weightDecay"/> λ &gt; 0, d2l §4.5's
    /// concise weight decay: λ on every weight, none on the biases (parameters named <c>…bias</c>).
    /// </summary>
    public static optim.Optimizer Sgd(nn.Module net, double lr, double weightDecay = 0)
    {
        if (weightDecay == 0) return optim.SGD(net.parameters(), lr);
        var named = net.named_parameters().ToList();
        var weights = named.Where(p => !IsBias(p.name)).Select(p => p.parameter).ToList();
        var biases = named.Where(p => IsBias(p.name)).Select(p => p.parameter).ToList();
        return optim.SGD([new SGD.ParamGroup(weights, lr: lr, weight_decay: weightDecay), new SGD.ParamGroup(biases, lr: lr)], lr);

        static bool IsBias(string name) => name == "bias" || name.EndsWith(".bias", StringComparison.Ordinal);
    }
}
