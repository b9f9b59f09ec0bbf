using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Experiments.Training;

/// <summary>
/// d2l's <c>Accumulator(3)</c> (Σ loss, correct, n) for one epoch of <see cref="FastTrainer"/>. On the CPU each step's
/// figures are read at once (a memory read, cheaper than tensors) and a non-finite loss stops training at its step.
/// Elsewhere a read-back waits for the device, so they go to device slots read when the epoch ends, and a non-finite
/// loss is reported, with its step, then. Loss sums are added in step order in double, as d2l adds <c>float(l.sum())</c>.
/// </summary>
sealed class EpochAccumulator(int steps, int epoch) : IDisposable
{
    readonly float[] _cpuLossSums = new float[steps];
    long _cpuCorrect;
    Tensor? _stepLossSums, _stepCorrect; // slots, off the CPU
    int _step;
    long _samples;

    /// <summary>Records one step: per-sample losses <paramref name="l"/>, predictions and labels.</summary>
    public void Add(Tensor l, Tensor yHat, Tensor y)
    {
        if (_step == steps) throw new InvalidOperationException($"the data iterator yielded more than the {steps} batches it announced.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (l.device_type == DeviceType.CPU)
        {
            float stepLoss = l.sum().item<float>();
            if (!float.IsFinite(stepLoss)) throw new TrainingDivergedException(epoch, _step + 1, stepLoss);
            _cpuLossSums[_step] = stepLoss;
            _cpuCorrect += D2l.CorrectCount(yHat, y).item<long>();
        }
        else
        {
            // Slots rather than an in-place add: TorchSharp's add_(t) makes a native scalar per call that only the GC frees.
            _stepLossSums ??= zeros(steps, dtype: float32, device: l.device).DetachFromDisposeScope();
            _stepCorrect ??= zeros(steps, dtype: int64, device: l.device).DetachFromDisposeScope();
            _stepLossSums[_step].copy_(l.sum());
            _stepCorrect[_step].copy_(D2l.CorrectCount(yHat, y));
        }
        _samples += y.shape[0];
        _step++;
    }

    /// <summary>(Σ loss / n, correct / n) of the steps recorded; throws on a non-finite step loss.</summary>
    public (double TrainLoss, double TrainAcc) Result()
    {
        if (_step == 0) throw new InvalidOperationException("the epoch had no batches.");
        using var scope = NewDisposeScope();
        float[] sums = _stepLossSums is null ? _cpuLossSums : _stepLossSums.narrow(0, 0, _step).cpu().data<float>().ToArray();
        long correct = _stepCorrect is null ? _cpuCorrect : _stepCorrect.narrow(0, 0, _step).sum().item<long>();
        double lossSum = 0;
        for (int i = 0; i < _step; i++)
        {
            if (!float.IsFinite(sums[i])) throw new TrainingDivergedException(epoch, i + 1, sums[i]);
            lossSum += sums[i];
        }
        return (lossSum / _samples, (double)correct / _samples);
    }

    public void Dispose()
    {
        _stepLossSums?.Dispose();
        _stepCorrect?.Dispose();
    }
}
