using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Regression;

/// <summary>
/// The L1/L2 blog post's two weight penalties, over every parameter, biases included, as the blog's
/// <c>sum(torch.sum(torch.abs(param)) for param in model.parameters())</c> and <c>weight_decay</c> do.
/// </summary>
public static class Regularization
{
    /// <summary>Σ|w|, the blog's L1 <c>regularization_loss</c>: added as λ·Σ|w| to the loss, it pulls each w to 0 by λ·sign(w).</summary>
    /// <exception cref="ArgumentException">There is no parameter.</exception>
    public static Tensor SumOfAbs(IEnumerable<Parameter> parameters) => Sum(parameters, p => p.abs().sum(), nameof(SumOfAbs));

    /// <summary>
    /// ½·Σw², whose gradient is w: λ times it adds λ·w to each gradient, what <c>weight_decay = λ</c> adds inside the
    /// optimizer's step without the term in the loss.
    /// </summary>
    /// <exception cref="ArgumentException">There is no parameter.</exception>
    public static Tensor HalfSumOfSquares(IEnumerable<Parameter> parameters) => Sum(parameters, p => 0.5 * p.square().sum(), nameof(HalfSumOfSquares));

    /// <summary>Fraction of the weight matrices' entries (biases left out) with |w| below <paramref name="threshold"/>; NaN is not small.</summary>
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
