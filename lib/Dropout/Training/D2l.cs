using System.Diagnostics;
using Dropout.Charts;
using Dropout.Data;
using Dropout.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Training;

/// <summary>The d2l functions the dropout section calls, with d2l's names and semantics: <c>load_data_fashion_mnist</c>,
/// <c>accuracy</c>, <c>evaluate_accuracy</c>, <c>train_ch3</c>.</summary>
public static class D2l
{
    /// <summary>Batch size used for evaluation (no gradients, so large batches are cheap).</summary>
    public const int EvalBatchSize = 2048;

    /// <summary>d2l's <c>load_data_fashion_mnist(batch_size)</c>: a shuffled training iterator and an in-order test
    /// iterator. Limits keep the first N samples; <paramref name="seed"/> seeds the shuffle.</summary>
    public static (DataIter Train, DataIter Test) LoadDataFashionMnist(int batchSize, int? trainLimit = null, int? testLimit = null, long? seed = null)
    {
        var data = FashionMnist.Load(trainLimit: trainLimit, testLimit: testLimit);
        return (new DataIter(data.Train.Images, data.Train.Labels, batchSize, shuffle: true, seed),
                new DataIter(data.Test.Images, data.Test.Labels, batchSize, shuffle: false));
    }

    /// <summary>d2l's <c>accuracy(y_hat, y)</c>: the number of correct predictions (a count, not a fraction).</summary>
    public static long Accuracy(Tensor yHat, Tensor y)
    {
        using var scope = NewDisposeScope();
        return CorrectCount(yHat, y).item<long>();
    }

    /// <summary><see cref="Accuracy"/> as a tensor, not read back (the training loop sums it on the device).</summary>
    public static Tensor CorrectCount(Tensor yHat, Tensor y)
    {
        var predicted = yHat.dim() > 1 && yHat.shape[1] > 1 ? yHat.argmax(1) : yHat;
        return (predicted.to_type(y.dtype) == y).sum();
    }

    /// <summary>d2l's <c>evaluate_accuracy(net, data_iter)</c>, in eval mode; the previous mode is restored.</summary>
    public static double EvaluateAccuracy(nn.Module<Tensor, Tensor> net, DataIter dataIter)
    {
        using var mode = ModuleMode.Eval(net);
        using var noGrad = no_grad();
        long correct = 0;
        var evalIter = new DataIter(dataIter.Features, dataIter.Labels, EvalBatchSize, shuffle: false);
        foreach (var (X, y) in evalIter)
        {
            using var scope = NewDisposeScope();
            scope.Attach([X, y]);
            correct += Accuracy(net.forward(X), y);
        }
        return (double)correct / dataIter.Count;
    }

    /// <summary>d2l's <c>train_epoch_ch3</c>: one pass in train mode with <c>l.mean().backward()</c>, returning
    /// (Σ loss / n, correct / n). Throws <see cref="TrainingDivergedException"/> on a NaN or infinite loss; observes
    /// <paramref name="cancellationToken"/> before each step.</summary>
    /// <remarks>Plus a dispose scope per step, so each step's tensors are freed when it ends, not when the GC runs.</remarks>
    public static (double TrainLoss, double TrainAcc) TrainEpochCh3(
        nn.Module<Tensor, Tensor> net, DataIter trainIter, nn.Module<Tensor, Tensor, Tensor> loss, optim.Optimizer updater,
        int epoch = 1, CancellationToken cancellationToken = default)
    {
        // Set the model to training mode (将模型设置为训练模式)
        net.train();
        // Sum of training loss, number of correct predictions, number of examples (训练损失总和、训练准确度总和、样本数)
        double lossSum = 0;
        long correct = 0, n = 0;
        int step = 0;
        foreach (var (X, y) in trainIter)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            scope.Attach([X, y]);
            step++;
            // Compute gradients and update parameters (计算梯度并更新参数)
            var yHat = net.forward(X);
            var l = loss.forward(yHat, y);
            updater.zero_grad();
            l.mean().backward();
            updater.step();
            float stepLoss = l.sum().item<float>();
            if (!float.IsFinite(stepLoss)) throw new TrainingDivergedException(epoch, step, stepLoss);
            lossSum += stepLoss;
            correct += Accuracy(yHat, y);
            n += y.numel();
        }
        // Return training loss and training accuracy (返回训练损失和训练精度)
        return (lossSum / n, (double)correct / n);
    }

    /// <summary>d2l's <c>train_ch3(net, train_iter, test_iter, loss, num_epochs, updater)</c>; the loss must not reduce
    /// (d2l: <c>CrossEntropyLoss(reduction='none')</c>). In a notebook it draws d2l's <see cref="Animator"/>
    /// (<paramref name="animate"/> false for runs side by side) and stops at the next step when the cell is
    /// interrupted. The experiment machinery's <c>FastTrainer.TrainCh3</c> gives the same numbers, faster.</summary>
    public static TrainingHistory TrainCh3(
        nn.Module<Tensor, Tensor> net, DataIter trainIter, DataIter testIter, nn.Module<Tensor, Tensor, Tensor> loss,
        int numEpochs, optim.Optimizer updater, Action<EpochMetrics>? onEpoch = null, CancellationToken cancellationToken = default,
        bool animate = true)
    {
        if (numEpochs <= 0) throw new ArgumentOutOfRangeException(nameof(numEpochs), numEpochs, $"the number of epochs must be positive; got {numEpochs}.");
        if (cancellationToken == default) cancellationToken = Notebook.CellCancellation;
        var animator = animate ? Animator.InNotebook(numEpochs) : null;
        var epochs = new List<EpochMetrics>(numEpochs);
        for (int epoch = 1; epoch <= numEpochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var (trainLoss, trainAcc) = TrainEpochCh3(net, trainIter, loss, updater, epoch, cancellationToken);
            double testAcc = EvaluateAccuracy(net, testIter);
            var metrics = new EpochMetrics(epoch, trainLoss, trainAcc, testAcc, clock.Elapsed.TotalSeconds);
            epochs.Add(metrics);
            animator?.Add(metrics);
            onEpoch?.Invoke(metrics);
        }
        animator?.Finish();
        return new TrainingHistory(epochs);
    }
}
