namespace Dropout.Regression;

/// <summary>The optimizer a <see cref="RegressionVariant"/> trains with.</summary>
public enum RegressionOptimizer
{
    /// <summary><c>torch.optim.Adam</c>, as Morvan's demo trains both nets.</summary>
    Adam,

    /// <summary><c>torch.optim.SGD</c>, as the blog's L2 example <c>SGD(model.parameters(), lr=0.01, weight_decay=0.001)</c>.</summary>
    Sgd,
}
