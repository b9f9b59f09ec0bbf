using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Regression;

/// <summary>
/// The two weight penalties of the L1/L2 blog post, over all of a model's parameters (biases included,
/// as the blog's <c>sum(torch.sum(torch.abs(param)) for param in model.parameters())</c> and as
/// <c>torch.optim</c>'s <c>weight_decay</c> do).
/// </summary>
public static class Regularization
{
    /// <summary>
    /// Σ|w| over every element of every parameter: the blog's <c>regularization_loss</c> for L1. Added to the
    /// loss as <c>loss = mse + λ·SumOfAbs(params)</c>, its gradient pushes each weight towards 0 by λ·sign(w).
    /// Differentiable (a scalar tensor in the graph).
    /// </summary>
    /// <exception cref="ArgumentException">There is no parameter.</exception>
    public static Tensor SumOfAbs(IEnumerable<Parameter> parameters) => Sum(parameters, p => p.abs().sum(), nameof(SumOfAbs));

    /// <summary>
    /// ½·Σw² over every element of every parameter: the L2 penalty whose gradient is w itself, so
    /// <c>λ·HalfSumOfSquares(params)</c> adds exactly λ·w to each gradient — what an optimizer's
    /// <c>weight_decay = λ</c> adds inside its step, without the term ever appearing in the loss.
    /// Differentiable (a scalar tensor in the graph).
    /// </summary>
    /// <exception cref="ArgumentException">There is no parameter.</exception>
    public static Tensor HalfSumOfSquares(IEnumerable<Parameter> parameters) => Sum(parameters, p => 0.5 * p.square().sum(), nameof(HalfSumOfSquares));

    /// <summary>
    /// The fraction of <paramref name="net"/>'s weight entries (the parameters named <c>weight</c>: the weight matrices,
    /// biases left out) whose magnitude is below <paramref name="threshold"/> — how sparse the weights are. A NaN
    /// weight is not small.
    /// </summary>
    /// <exception cref="ArgumentException">The net has no weight parameter.</exception>
    /// <exception cref="ArgumentOutOfRangeException">threshold is not a finite number &gt; 0.</exception>
    public static double SmallWeightFraction(TorchSharp.torch.nn.Module net, double threshold)
    {
        if (!double.IsFinite(threshold) || threshold <= 0)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"the threshold must be a finite number > 0; got {threshold}.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long small = 0, total = 0;
        foreach (var (name, p) in net.named_parameters())
        {
            if (name != "weight" && !name.EndsWith(".weight", StringComparison.Ordinal)) continue;
            small += (p.abs() < threshold).sum().item<long>();
            total += p.numel();
        }
        if (total == 0) throw new ArgumentException("the net has no parameter named 'weight' (did a custom module forget RegisterComponents()?).", nameof(net));
        return (double)small / total;
    }

    static Tensor Sum(IEnumerable<Parameter> parameters, Func<Parameter, Tensor> term, string what)
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (var p in parameters) total = total is null ? term(p) : total + term(p);
        if (total is null) throw new ArgumentException($"{what}: the model has no parameters (did a custom module forget RegisterComponents()?).", nameof(parameters));
        return total.MoveToOuterDisposeScope();
    }
}
