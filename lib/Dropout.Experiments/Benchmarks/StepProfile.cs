using System.Diagnostics;
using Dropout.Data;
using Dropout.Layers;
using Dropout.Models;
using Dropout.Statistics;
using Dropout.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Dropout.Experiments.Training;

namespace Dropout.Experiments.Benchmarks;

/// <summary>
/// Where the time of one training step of d2l's setting goes, phase by phase, with a timer between phases: the plain
/// step (<see cref="D2l.TrainEpochCh3"/>'s: <c>nn.Dropout</c>, <c>optim.SGD.step()</c>, loss and accuracy read back) and
/// the step with <see cref="FastTrainer"/>'s shortcuts (the masks drawn by <see cref="ExactDropout"/> where it matches
/// libtorch here, gradients set to none, the update with one cached scalar, the metrics through its accumulator). The
/// Sequential's layers are called one by one, as its own forward does.
/// </summary>
public static class StepProfile
{
    /// <summary>One phase's median time per step, µs, in each variant (NaN where the variant has no such phase).</summary>
    public sealed record Phase(string Name, double PlainMicroseconds, double FastMicroseconds);

    /// <summary>
    /// Trains two copies of the concise net (same seed) on <paramref name="data"/>, <paramref name="rounds"/> times
    /// <paramref name="stepsPerRound"/> steps each, the two variants alternating by round after one warm-up round each;
    /// returns each phase's median over the rounds of its mean per step.
    /// </summary>
    public static IReadOnlyList<Phase> Measure(FashionMnistData data, double p1 = 0.2, double p2 = 0.5, int batchSize = 256, double lr = 0.5,
        long seed = 1, int stepsPerRound = 100, int rounds = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerRound);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        var plain = new Variant(fast: false, data, p1, p2, batchSize, lr, seed);
        var fast = new Variant(fast: true, data, p1, p2, batchSize, lr, seed);
        try
        {
            plain.Round(stepsPerRound);
            fast.Round(stepsPerRound);
            var plainRounds = new List<Dictionary<string, double>>();
            var fastRounds = new List<Dictionary<string, double>>();
            for (int r = 0; r < rounds; r++)
            {
                if (r % 2 == 0) { plainRounds.Add(plain.Round(stepsPerRound)); fastRounds.Add(fast.Round(stepsPerRound)); }
                else { fastRounds.Add(fast.Round(stepsPerRound)); plainRounds.Add(plain.Round(stepsPerRound)); }
            }
            var names = plain.PhaseNames.Concat(fast.PhaseNames).Distinct();
            double Median(List<Dictionary<string, double>> all, string name) =>
                all[0].ContainsKey(name) ? Sample.Of(all.Select(d => d[name])).Median : double.NaN;
            return names.Select(n => new Phase(n, Median(plainRounds, n), Median(fastRounds, n))).ToList();
        }
        finally
        {
            plain.Dispose();
            fast.Dispose();
        }
    }

    /// <summary>One model, optimizer and data order, trained step by step with a timer between phases.</summary>
    sealed class Variant : IDisposable
    {
        readonly bool _fast;
        readonly Sequential _net;
        readonly nn.Module<Tensor, Tensor, Tensor> _loss;
        readonly SGD _sgd;
        readonly DataIter _trainIter;
        readonly ExactDropout?[] _exact;
        readonly Scalar _alpha;
        readonly Tensor _generatorState;
        readonly List<string> _phaseNames = [];
        readonly string[] _layerNames;
        IEnumerator<(Tensor X, Tensor y)>? _batches;
        Dictionary<string, double> _sums = [];
        long _mark;

        public Variant(bool fast, FashionMnistData data, double p1, double p2, int batchSize, double lr, long seed)
        {
            _fast = fast;
            random.manual_seed(seed);
            _net = ConciseNet.Create(p1, p2);
            _loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
            _sgd = optim.SGD(_net.parameters(), lr);
            _trainIter = new DataIter(data.Train.Images, data.Train.Labels, batchSize, shuffle: true, seed);
            _layerNames = _net.named_children().Select(c => c.name).ToArray();
            _exact = Enumerable.Range(0, _net.Count)
                .Select(i => fast && _net[i] is TorchSharp.Modules.Dropout d ? ExactDropout.Create(d.p) : null).ToArray();
            _alpha = (-lr).ToScalar();
            _generatorState = random.get_rng_state().DetachFromDisposeScope();
        }

        public IEnumerable<string> PhaseNames => _phaseNames;

        void Mark(string phase)
        {
            long now = Stopwatch.GetTimestamp();
            _sums[phase] = _sums.GetValueOrDefault(phase) + Stopwatch.GetElapsedTime(_mark, now).TotalMicroseconds;
            if (!_phaseNames.Contains(phase)) _phaseNames.Add(phase);
            _mark = Stopwatch.GetTimestamp();
        }

        /// <summary>Trains <paramref name="steps"/> steps (wrapping round the data) and returns µs per step by phase.</summary>
        public Dictionary<string, double> Round(int steps)
        {
            _sums = [];
            using var outside = random.get_rng_state();
            random.set_rng_state(_generatorState);
            _net.train();
            using var metrics = new EpochAccumulator(steps, epoch: 1);
            try
            {
                for (int step = 0; step < steps; step++) Step(metrics);
            }
            finally
            {
                using var mine = random.get_rng_state();
                _generatorState.copy_(mine);
                random.set_rng_state(outside);
            }
            return _sums.ToDictionary(kv => kv.Key, kv => kv.Value / steps);
        }

        void Step(EpochAccumulator metrics)
        {
            _mark = Stopwatch.GetTimestamp();
            _batches ??= _trainIter.GetEnumerator();
            if (!_batches.MoveNext())
            {
                _batches.Dispose();
                _batches = _trainIter.GetEnumerator();
                _batches.MoveNext();
            }
            var (X, y) = _batches.Current;
            Mark("batch (shuffled index_select)");
            using (var scope = NewDisposeScope())
            {
                scope.Attach([X, y]);
                Tensor t = X;
                for (int i = 0; i < _net.Count; i++)
                {
                    var layer = _net[i];
                    string name = layer switch
                    {
                        Linear => $"forward {_layerNames[i]} (addmm: matmul + bias)",
                        TorchSharp.Modules.Dropout => $"forward {_layerNames[i]} (mask, scale, multiply)",
                        _ => $"forward {_layerNames[i]}",
                    };
                    var next = _exact[i] is { } exact ? exact.Forward(t) : layer.call(t);
                    if (i > 0) t.Dispose();
                    t = next;
                    Mark(name);
                }
                var l = _loss.forward(t, y);
                Mark("loss (cross-entropy, per sample)");
                if (_fast)
                    foreach (var p in _sgd.parameters()) p.grad = null;
                else _sgd.zero_grad();
                Mark("zero_grad");
                l.mean().backward();
                Mark("l.mean().backward()");
                if (_fast)
                {
                    using var _ = no_grad();
                    foreach (var p in _sgd.parameters())
                    {
                        using var grad = p.grad;
                        if (grad is not null) p.add_(grad, _alpha);
                    }
                }
                else
                {
                    _sgd.step();
                }
                Mark("SGD update");
                if (_fast)
                {
                    metrics.Add(l, t, y);
                }
                else
                {
                    float lossSum = l.sum().item<float>();
                    long correct = D2l.Accuracy(t, y);
                    GC.KeepAlive((lossSum, correct));
                }
                Mark("metrics (loss sum and accuracy read back)");
            }
            Mark("dispose scope (the step's tensors)");
        }

        public void Dispose()
        {
            _batches?.Dispose();
            _alpha.Dispose();
            _generatorState.Dispose();
            _sgd.Dispose();
            _loss.Dispose();
            _net.Dispose();
        }
    }
}
