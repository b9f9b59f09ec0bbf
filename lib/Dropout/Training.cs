using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout;

/// <summary>What one epoch of <see cref="D2l.TrainCh3"/> measured (d2l's Animator plots the first three).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Σ per-sample loss / number of samples, over the epoch's minibatches (train mode).</param>
/// <param name="TrainAcc">Fraction of training samples classified right during the epoch (train mode).</param>
/// <param name="TestAcc">Accuracy on the test set after the epoch (eval mode, no dropout).</param>
/// <param name="Seconds">Wall time of the epoch: training plus evaluation.</param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAcc, double TestAcc, double Seconds);

/// <summary>One d2l end-of-training condition and the value it was judged on.</summary>
public sealed record D2lCondition(string Name, double Value, string Requirement, bool Holds);

/// <summary>
/// d2l's checks after <c>train_ch3</c>: <c>assert train_loss &lt; 0.5</c>,
/// <c>assert 1 &gt;= train_acc &gt; 0.7</c>, <c>assert 1 &gt;= test_acc &gt; 0.7</c>.
/// </summary>
public sealed record D2lCheck(IReadOnlyList<D2lCondition> Conditions)
{
    /// <summary>True when every condition holds.</summary>
    public bool Passed => Conditions.All(c => c.Holds);

    /// <summary>The failing conditions with their values, or "passed".</summary>
    public override string ToString() => Passed
        ? "d2l check passed: " + string.Join(", ", Conditions.Select(c => $"{c.Name} = {c.Value:0.####} ({c.Requirement})"))
        : "d2l check FAILED: " + string.Join(", ", Conditions.Where(c => !c.Holds).Select(c => $"{c.Name} = {c.Value:0.####}, expected {c.Requirement}"));
}

/// <summary>The per-epoch results of a training run, in order.</summary>
public sealed class TrainingHistory(IReadOnlyList<EpochMetrics> epochs) : IReadOnlyList<EpochMetrics>
{
    /// <summary>The last epoch's metrics.</summary>
    public EpochMetrics Final => epochs.Count > 0 ? epochs[^1] : throw new InvalidOperationException("no epoch was trained.");

    /// <summary>d2l's end-of-training check on the last epoch.</summary>
    public D2lCheck CheckD2l() => new([
        new("train_loss", Final.TrainLoss, "< 0.5", Final.TrainLoss < 0.5),
        new("train_acc", Final.TrainAcc, "in (0.7, 1]", Final.TrainAcc > 0.7 && Final.TrainAcc <= 1),
        new("test_acc", Final.TestAcc, "in (0.7, 1]", Final.TestAcc > 0.7 && Final.TestAcc <= 1),
    ]);

    /// <summary>
    /// Like d2l's asserts: throws <see cref="D2lAssertionException"/> naming the failing value(s) when the check fails.
    /// </summary>
    public void AssertD2l()
    {
        var check = CheckD2l();
        if (!check.Passed) throw new D2lAssertionException(check);
    }

    /// <inheritdoc/>
    public EpochMetrics this[int index] => epochs[index];
    /// <inheritdoc/>
    public int Count => epochs.Count;
    /// <inheritdoc/>
    public IEnumerator<EpochMetrics> GetEnumerator() => epochs.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>d2l's <c>assert</c> after training failed; the message names the values.</summary>
public sealed class D2lAssertionException(D2lCheck check) : Exception(check.ToString())
{
    /// <summary>The check that failed.</summary>
    public D2lCheck Check { get; } = check;
}

/// <summary>
/// The pieces of the d2l library that the dropout section calls, with the same names and semantics:
/// <c>load_data_fashion_mnist</c>, <c>accuracy</c>, <c>evaluate_accuracy</c>, <c>train_ch3</c>.
/// </summary>
public static partial class D2l
{
    /// <summary>Batch size used for evaluation (no gradients, so large batches are cheap).</summary>
    public const int EvalBatchSize = 2048;

    /// <summary>
    /// d2l's <c>load_data_fashion_mnist(batch_size)</c>: the real Fashion-MNIST as a shuffled training
    /// iterator and an in-order test iterator. Limits take the first N samples (quick runs).
    /// </summary>
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
    internal static Tensor CorrectCount(Tensor yHat, Tensor y)
    {
        var predicted = yHat.dim() > 1 && yHat.shape[1] > 1 ? yHat.argmax(1) : yHat;
        return (predicted.to_type(y.dtype) == y).sum();
    }

    /// <summary>
    /// d2l's <c>evaluate_accuracy(net, data_iter)</c>: accuracy in eval mode without gradients, in large batches.
    /// The module's previous training/eval mode is restored afterwards.
    /// </summary>
    public static double EvaluateAccuracy(nn.Module<Tensor, Tensor> net, DataIter dataIter)
    {
        bool wasTraining = net.training;
        net.eval();
        try
        {
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
        finally
        {
            net.train(wasTraining);
        }
    }

    /// <summary>
    /// d2l's <c>train_epoch_ch3</c>: one pass over <paramref name="trainIter"/> in train mode with
    /// <c>l.mean().backward()</c>. Returns (Σ loss / n, correct / n). Throws <see cref="TrainingDivergedException"/>
    /// on a NaN or infinite loss, naming the epoch and step; <paramref name="cancellationToken"/> is observed before each step.
    /// </summary>
    /// <remarks>
    /// The loop as d2l writes it, plus what TorchSharp needs: a dispose scope per step, so that each step's tensors are
    /// freed when it ends rather than when the garbage collector gets to them. <see cref="FastTrainer"/> runs the same
    /// steps with the same numbers, faster; the study and <c>bench</c> use it.
    /// </remarks>
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

    /// <summary>
    /// d2l's <c>train_ch3(net, train_iter, test_iter, loss, num_epochs, updater)</c>. The loss must not
    /// reduce (d2l: <c>CrossEntropyLoss(reduction='none')</c>). <paramref name="onEpoch"/> sees each epoch
    /// as it finishes (progress, live charts); cancellation stops between steps.
    /// <see cref="FastTrainer.TrainCh3"/> takes the same arguments and gives the same numbers, faster.
    /// </summary>
    public static TrainingHistory TrainCh3(
        nn.Module<Tensor, Tensor> net, DataIter trainIter, DataIter testIter, nn.Module<Tensor, Tensor, Tensor> loss,
        int numEpochs, optim.Optimizer updater, Action<EpochMetrics>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        if (numEpochs <= 0) throw new ArgumentOutOfRangeException(nameof(numEpochs), numEpochs, $"the number of epochs must be positive; got {numEpochs}.");
        var epochs = new List<EpochMetrics>(numEpochs);
        for (int epoch = 1; epoch <= numEpochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var (trainLoss, trainAcc) = TrainEpochCh3(net, trainIter, loss, updater, epoch, cancellationToken);
            double testAcc = EvaluateAccuracy(net, testIter);
            var metrics = new EpochMetrics(epoch, trainLoss, trainAcc, testAcc, clock.Elapsed.TotalSeconds);
            epochs.Add(metrics);
            onEpoch?.Invoke(metrics);
        }
        return new TrainingHistory(epochs);
    }
}
