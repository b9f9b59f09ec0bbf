using System.Diagnostics;
using Dropout.Data;
using Dropout.Statistics;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Exercises;

/// <summary>
/// Trains an exercise's configurations over seeds with d2l's <see cref="D2l.TrainCh3"/>, side by side on every core,
/// adding per-run random numbers, weight decay on the weights, per-epoch measurements, and divergence
/// (<see cref="Divergence.Rule"/>) recorded as a result instead of stopping the notebook.
/// </summary>
public static class ExerciseTrainer
{
    static readonly IReadOnlyDictionary<string, double> NoMeasures = new Dictionary<string, double>();

    /// <summary>
    /// One run, d2l's set-up (<see cref="SeededTraining.Train"/>): a generator seeded with <paramref name="seed"/> builds the
    /// net (weights, then training noise); a second, seeded alike, orders the minibatches the same for every configuration.
    /// Then <c>train_ch3</c>. Same seed and configuration, same numbers, alone or beside other runs.
    /// </summary>
    /// <param name="measure">Per-epoch measurements; the net's generator is restored after it, so it never changes training.</param>
    /// <remarks>A NaN or infinite loss ends the run early, recorded as diverged with the epochs trained before it.</remarks>
    public static ExerciseRun Train(ExerciseConfig config, int seed, DataIter train, DataIter test,
        Func<nn.Module<Tensor, Tensor>, IReadOnlyDictionary<string, double>>? measure = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var order = new Generator((ulong)seed);   // the minibatch order, shared by every configuration of this seed
        nn.Module<Tensor, Tensor>? net = null;
        Generator? netGenerator = null;
        var epochs = new List<ExerciseEpoch>(config.Settings.NumEpochs);
        Divergence? divergence = null;
        try
        {
            SeededTraining.Train(seed, g => net = config.CreateNet(netGenerator = g), train, test, config.Settings, order: order,
                onEpoch: e => epochs.Add(new ExerciseEpoch(e, Measure(net!, netGenerator!, measure))), cancellationToken: cancellationToken);
        }
        catch (TrainingDivergedException e)
        {
            divergence = new Divergence(e.Epoch, e.Loss, epochs.Count > 0 ? epochs[0].Metrics.TrainLoss : e.Loss);
        }
        divergence ??= Divergence.Find(epochs.Select(e => e.Metrics).ToList());
        return new ExerciseRun(config.Name, seed, epochs, divergence, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Every configuration from every seed, side by side, a progress line per run; each configuration's runs, in order.</summary>
    /// <param name="workers">Default: one per core.</param>
    /// <exception cref="ArgumentException">No configuration or no seed, or two configurations with the same name.</exception>
    public static IReadOnlyList<SeedRuns<ExerciseRun>> TrainSeeds(IReadOnlyList<ExerciseConfig> configs, IReadOnlyList<int> seeds,
        DataIter train, DataIter test, Func<nn.Module<Tensor, Tensor>, IReadOnlyDictionary<string, double>>? measure = null, int? workers = null)
    {
        if (configs.Count == 0 || seeds.Count == 0) throw new ArgumentException("give at least one configuration and one seed.", nameof(configs));
        var twice = configs.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"two configurations are named '{twice.Key}'; tables and answers need distinct names.", nameof(configs));
        // The longest runs first, so that no core waits alone for one at the end
        var plan = configs.SelectMany(c => seeds.Select(s => new PlannedRun(c, s))).OrderByDescending(p => p.Config.Settings.NumEpochs).ToList();
        var runs = ParallelRuns.Run(plan, p => Train(p.Config, p.Seed, train, test, measure), workers);
        return configs.Select(c => ExerciseRuns.Of(c.Name, runs)).ToList();
    }

    static IReadOnlyDictionary<string, double> Measure(nn.Module<Tensor, Tensor> net, Generator generator,
        Func<nn.Module<Tensor, Tensor>, IReadOnlyDictionary<string, double>>? measure)
    {
        if (measure is null) return NoMeasures;
        using var state = generator.get_state();
        try { return measure(net); }
        finally { generator.set_state(state); }
    }

    /// <summary>One (configuration, seed) run of a plan, as progress lines name it: "dropout 0.2/0.5, seed 1".</summary>
    sealed record PlannedRun(ExerciseConfig Config, int Seed)
    {
        public override string ToString() => $"{Config.Name}, seed {Seed}";
    }
}
