namespace Dropout.Data;

/// <summary>Fashion-MNIST's training and test splits, and the folder they were read from.</summary>
/// <param name="Train">The training split (60,000 samples unless limited).</param>
/// <param name="Test">The test split (10,000 samples unless limited).</param>
public sealed record FashionMnistData(FashionMnistSplit Train, FashionMnistSplit Test, string SourceDirectory) : IDisposable
{
    /// <summary>Frees the tensors of both splits.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
