using TorchSharp;
using static TorchSharp.torch;

namespace Dropout;

/// <summary>
/// d2l's <c>Accumulator(3)</c> for one training epoch (Σ loss, correct, n), kept in tensors so that a step
/// costs no read-back: each step's loss sum and correct count go to their own slots, summed when the epoch is read.
/// (Slots rather than an in-place add: TorchSharp's <c>add_(t)</c> makes a native scalar 1 per call that only the
/// garbage collector frees.)
/// On the CPU the loss slot is checked right away (a plain memory read), so a NaN or infinite loss stops
/// training at the step it appeared; on another device it is checked when the epoch's numbers are read.
/// </summary>
sealed class EpochAccumulator(int steps, int epoch) : IDisposable
{
    Tensor? _stepLossSums, _stepCorrect;
    TorchSharp.Utils.TensorAccessor<float>? _cpuStepLossSums;
    int _step;
    long _samples;

    /// <summary>Records one step: per-sample losses <paramref name="l"/>, predictions and labels.</summary>
    public void Add(Tensor l, Tensor yHat, Tensor y)
    {
        if (_step == steps) throw new InvalidOperationException($"the data iterator yielded more than the {steps} batches it announced.");
        using var _ = no_grad();
        _stepLossSums ??= zeros(steps, dtype: float32, device: l.device).DetachFromDisposeScope();
        _stepCorrect ??= zeros(steps, dtype: int64, device: l.device).DetachFromDisposeScope();
        _stepLossSums[_step].copy_(l.sum());
        _stepCorrect[_step].copy_(D2l.CorrectCount(yHat, y));
        _samples += y.shape[0];
        _step++;
        if (_stepLossSums.device_type == DeviceType.CPU)
        {
            _cpuStepLossSums ??= _stepLossSums.data<float>();
            float stepLoss = _cpuStepLossSums[_step - 1];
            if (!float.IsFinite(stepLoss)) throw new TrainingDivergedException(epoch, _step, stepLoss);
        }
    }

    /// <summary>(Σ loss / n, correct / n) of the steps recorded; throws on a non-finite step loss.</summary>
    public (double TrainLoss, double TrainAcc) Result()
    {
        if (_stepLossSums is null || _stepCorrect is null) throw new InvalidOperationException("the epoch had no batches.");
        using var scope = NewDisposeScope();
        float[] sums = _stepLossSums.narrow(0, 0, _step).cpu().data<float>().ToArray();
        double lossSum = 0;
        for (int i = 0; i < sums.Length; i++)
        {
            if (!float.IsFinite(sums[i])) throw new TrainingDivergedException(epoch, i + 1, sums[i]);
            lossSum += sums[i];
        }
        long correct = _stepCorrect.narrow(0, 0, _step).sum().item<long>();
        return (lossSum / _samples, (double)correct / _samples);
    }

    public void Dispose()
    {
        _cpuStepLossSums?.Dispose();
        _stepLossSums?.Dispose();
        _stepCorrect?.Dispose();
    }
}
