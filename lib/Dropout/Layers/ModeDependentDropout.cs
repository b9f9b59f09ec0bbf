using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary>A dropout module whose forward is <see cref="Train"/> while training, <see cref="Eval"/> after <c>eval()</c>;
/// the CS231n variants and the blog's <see cref="CustomDropout"/> (and its fix) differ only there.</summary>
public abstract class ModeDependentDropout : nn.Module<Tensor, Tensor>
{
    /// <summary>Registers the module under <paramref name="name"/>; <paramref name="generator"/> (optional) makes its masks repeatable.</summary>
    protected ModeDependentDropout(string name, Generator? generator) : base(name)
    {
        MaskGenerator = generator;
        RegisterComponents();
    }

    /// <summary>The generator the training masks are drawn from (null: torch's global one).</summary>
    protected Generator? MaskGenerator { get; }

    /// <summary>The forward pass while training.</summary>
    protected abstract Tensor Train(Tensor x);

    /// <summary>The forward pass in eval mode.</summary>
    protected abstract Tensor Eval(Tensor x);

    /// <inheritdoc/>
    public sealed override Tensor forward(Tensor x) => training ? Train(x) : Eval(x);
}
