using Dropout.Experiments.Training;
using Dropout.Training;

namespace Dropout.Experiments.Benchmarks;

/// <summary>Which training loop a <see cref="D2lTrainingBench"/> times.</summary>
public enum BenchLoop
{
    /// <summary><see cref="FastTrainer"/>: what the study runs.</summary>
    Fast,
    /// <summary><see cref="D2l.TrainEpochCh3"/>: d2l's plain loop, what the notebooks run.</summary>
    Teaching,
}
