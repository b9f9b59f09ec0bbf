using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Models;

/// <summary>What <see cref="MonteCarloDropout.Predict"/> returns, per sample. Dispose it to free the tensors.</summary>
/// <param name="MeanProbabilities">[N, classes]: the average of the passes' softmax outputs (rows sum to 1).</param>
/// <param name="Entropy">[N]: predictive entropy −Σ p̄ log p̄ of <paramref name="MeanProbabilities"/>, in nats (0 … ln classes).</param>
/// <param name="PredictedClassStd">[N]: standard deviation over the passes of the probability given to the predicted class (argmax of the mean).</param>
/// <param name="Samples">The number of stochastic passes T.</param>
public sealed record MonteCarloPrediction(Tensor MeanProbabilities, Tensor Entropy, Tensor PredictedClassStd, int Samples) : IDisposable
{
    /// <summary>[N]: the predicted class of each sample (argmax of the mean probabilities).</summary>
    public Tensor Predicted() => MeanProbabilities.argmax(1);

    /// <inheritdoc/>
    public void Dispose()
    {
        MeanProbabilities.Dispose();
        Entropy.Dispose();
        PredictedClassStd.Dispose();
    }
}
