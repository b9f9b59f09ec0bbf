using Dropout.Experiments.Benchmarks;

namespace Dropout.Cli.Bench;

/// <summary>Everything measured for one implementation (TorchSharp or the PyTorch reference) in a bench run.</summary>
/// <param name="Name">Column title: "TorchSharp" or "PyTorch".</param>
/// <param name="LoadSeconds">Time to read Fashion-MNIST into tensors.</param>
/// <param name="TrainSamples">Training samples per epoch.</param>
/// <param name="Epochs">Every epoch, warm-up included, in order.</param>
/// <param name="CeilingGflops">Matrix-product ceiling measurements (GFLOP/s), one per measured epoch.</param>
internal sealed record BenchSide(string Name, double LoadSeconds, long TrainSamples, IReadOnlyList<BenchEpoch> Epochs, IReadOnlyList<double> CeilingGflops);
