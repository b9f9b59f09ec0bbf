using Dropout.Experiments.Benchmarks;

namespace Dropout.Cli.Bench;

/// <summary>Everything measured for one implementation (TorchSharp or the PyTorch reference) in a bench run.</summary>
/// <param name="LoadSeconds">Time to read Fashion-MNIST into tensors.</param>
/// <param name="Epochs">Every epoch, warm-up included.</param>
/// <param name="CeilingGflops">Matrix-product ceiling measurements, one per measured epoch.</param>
internal sealed record BenchSide(string Name, double LoadSeconds, long TrainSamples, IReadOnlyList<BenchEpoch> Epochs, IReadOnlyList<double> CeilingGflops);
