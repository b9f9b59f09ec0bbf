using Dropout.Data;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Benchmarks;

/// <summary>
/// The training loop as it was before <see cref="FastTrainer"/> (commit fd374cd's <c>D2l.TrainEpochCh3</c> and its
/// per-epoch accumulator, verbatim), kept only so that <c>bench --baseline pre-change</c> can time old and new in one
/// run, epoch by epoch in alternation. Delete it once those figures are no longer needed.
/// </summary>
internal static class PreChangeTrainingLoop
{
    /// <summary>One training epoch the old way: module forward, <c>updater.step()</c>, loss and accuracy kept in tensors.</summary>
    public static (double TrainLoss, double TrainAcc) TrainEpoch(
        nn.Module<Tensor, Tensor> net, DataIter trainIter, nn.Module<Tensor, Tensor, Tensor> loss, optim.Optimizer updater,
        int epoch = 1, CancellationToken cancellationToken = default)
    {
        net.train();
        using var metrics = new Accumulator(trainIter.BatchCount, epoch);
        foreach (var (X, y) in trainIter)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            scope.Attach([X, y]);
            var yHat = net.forward(X);
            var l = loss.forward(yHat, y);
            updater.zero_grad();
            l.mean().backward();
            updater.step();
            metrics.Add(l, yHat, y);
        }
        return metrics.Result();
    }

    /// <summary>The old EpochAccumulator: loss sums in per-step slots, the correct count added in place.</summary>
    sealed class Accumulator(int steps, int epoch) : IDisposable
    {
        Tensor? _stepLossSums, _correct;
        TorchSharp.Utils.TensorAccessor<float>? _cpuStepLossSums;
        int _step;
        long _samples;

        public void Add(Tensor l, Tensor yHat, Tensor y)
        {
            if (_step == steps) throw new InvalidOperationException($"the data iterator yielded more than the {steps} batches it announced.");
            using var _ = no_grad();
            _stepLossSums ??= zeros(steps, dtype: float32, device: l.device).DetachFromDisposeScope();
            _correct ??= zeros(1, dtype: int64, device: l.device).DetachFromDisposeScope();
            _stepLossSums[_step].copy_(l.sum());
            _correct.add_(D2l.CorrectCount(yHat, y));
            _samples += y.shape[0];
            _step++;
            if (_stepLossSums.device_type == DeviceType.CPU)
            {
                _cpuStepLossSums ??= _stepLossSums.data<float>();
                float stepLoss = _cpuStepLossSums[_step - 1];
                if (!float.IsFinite(stepLoss)) throw new TrainingDivergedException(epoch, _step, stepLoss);
            }
        }

        public (double TrainLoss, double TrainAcc) Result()
        {
            if (_stepLossSums is null || _correct is null) throw new InvalidOperationException("the epoch had no batches.");
            using var scope = NewDisposeScope();
            float[] sums = _stepLossSums.narrow(0, 0, _step).cpu().data<float>().ToArray();
            double lossSum = 0;
            for (int i = 0; i < sums.Length; i++)
            {
                if (!float.IsFinite(sums[i])) throw new TrainingDivergedException(epoch, i + 1, sums[i]);
                lossSum += sums[i];
            }
            return (lossSum / _samples, (double)_correct.item<long>() / _samples);
        }

        public void Dispose()
        {
            _cpuStepLossSums?.Dispose();
            _stepLossSums?.Dispose();
            _correct?.Dispose();
        }
    }
}
