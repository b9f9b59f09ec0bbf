using Dropout.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Training;

/// <summary>d2l's set-up for one run (net, shuffled minibatches, <c>CrossEntropyLoss(reduction='none')</c>, SGD,
/// <c>train_ch3</c>) with every random number from the run's own <see cref="Generator"/>: from a seed it gives what the
/// cells give after <c>torch.manual_seed(seed)</c>, also beside other runs (<see cref="ParallelRuns"/>).</summary>
public static class SeededTraining
{
    /// <summary>A training loop with d2l's <c>train_ch3</c> arguments: <see cref="D2l.TrainCh3"/>, or a loop proven equal to it.</summary>
    public delegate TrainingHistory Loop(nn.Module<Tensor, Tensor> net, DataIter trainIter, DataIter testIter,
        nn.Module<Tensor, Tensor, Tensor> loss, int numEpochs, optim.Optimizer updater, Action<EpochMetrics>? onEpoch, CancellationToken cancellationToken);

    /// <summary>d2l's loop, drawing no chart (runs trained side by side would each draw one).</summary>
    public static readonly Loop D2lLoop = (net, train, test, loss, epochs, updater, onEpoch, ct) =>
        D2l.TrainCh3(net, train, test, loss, epochs, updater, onEpoch, ct, animate: false);

    /// <summary>One run from <paramref name="seed"/>: the run's generator gives the net its weights, then its masks,
    /// and shuffles <paramref name="train"/> (unless <paramref name="order"/> is given, to give several nets one
    /// order); then <paramref name="loop"/> (default: d2l's) trains with <paramref name="settings"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Settings that cannot be trained.</exception>
    public static TrainingHistory Train(int seed, Func<Generator, nn.Module<Tensor, Tensor>> createNet, DataIter train, DataIter test,
        TrainingSettings settings, Loop? loop = null, Generator? order = null, Action<EpochMetrics>? onEpoch = null,
        CancellationToken cancellationToken = default)
    {
        settings.Validate();
        using var generator = new Generator((ulong)seed);
        using var net = createNet(generator);
        var trainIter = new DataIter(train.Features, train.Labels, settings.BatchSize, shuffle: true, order ?? generator);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        var updater = Sgd(net, settings.Lr, settings.WeightDecay);
        return (loop ?? D2lLoop)(net, trainIter, test, loss, settings.NumEpochs, updater, onEpoch, cancellationToken);
    }

    /// <summary>d2l's <c>torch.optim.SGD(net.parameters(), lr)</c>; with <paramref name="weightDecay"/> λ &gt; 0, d2l §4.5's
    /// concise weight decay: λ on every weight, none on the biases (parameters named <c>…bias</c>).</summary>
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
