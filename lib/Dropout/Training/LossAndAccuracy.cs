using Dropout.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Training;

/// <summary>A model's test-set numbers in eval mode.</summary>
/// <param name="Loss">Mean cross-entropy per sample.</param>
/// <param name="Accuracy">Fraction of samples whose argmax is the label.</param>
/// <param name="MeanConfidence">Mean over samples of the largest softmax probability.</param>
public sealed record LossAndAccuracy(double Loss, double Accuracy, double MeanConfidence)
{
    /// <summary>Evaluates in eval mode without gradients; the previous mode is restored. Unlike d2l's <c>evaluate_accuracy</c>
    /// it also reports the loss, which sees a change of the logits' scale that accuracy (an argmax) can miss.</summary>
    public static LossAndAccuracy Evaluate(nn.Module<Tensor, Tensor> net, DataIter dataIter)
    {
        using var mode = ModuleMode.Eval(net);
        using var noGrad = no_grad();
        double lossSum = 0, confidenceSum = 0;
        long correct = 0;
        var evalIter = new DataIter(dataIter.Features, dataIter.Labels, D2l.EvalBatchSize, shuffle: false);
        foreach (var (X, y) in evalIter)
        {
            using var scope = NewDisposeScope();
            scope.Attach([X, y]);
            var logits = net.forward(X);
            lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            confidenceSum += nn.functional.softmax(logits, 1).max(1).values.sum().item<float>();
            correct += D2l.Accuracy(logits, y);
        }
        long n = dataIter.Count;
        return new LossAndAccuracy(lossSum / n, (double)correct / n, confidenceSum / n);
    }
}
