namespace Dropout.Experiments.Benchmarks;

/// <summary>What one benchmarked epoch measured (TorchSharp's or the PyTorch reference's).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainSeconds">Wall time of the training pass (all minibatches, forward, backward, update, metrics).</param>
/// <param name="Steps">Minibatches (SGD steps) in the training pass.</param>
/// <param name="TrainLoss">Mean per-sample training loss of the epoch.</param>
/// <param name="Memory">Resident memory right after the epoch.</param>
/// <param name="CpuSeconds">CPU time of the whole process (all threads) over training and evaluation: the work
/// done, whatever else the machine was running. Wall time well above CpuSeconds / threads means contention.</param>
public sealed record BenchEpoch(int Epoch, double TrainSeconds, double EvalSeconds, int Steps,
    double TrainLoss, double TrainAcc, double TestAcc, ProcessMemory Memory, double CpuSeconds)
{
    /// <summary>Training plus evaluation.</summary>
    public double EpochSeconds => TrainSeconds + EvalSeconds;

    /// <summary>SGD steps per second of the training pass.</summary>
    public double StepsPerSecond => Steps / TrainSeconds;
}
