using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Experiments.Training;

/// <summary>
/// <c>nn.Dropout</c>'s training-mode forward with a cheaper mask: the same values, autograd graph and generator state
/// afterwards as libtorch's CPU <c>dropout</c>, which computes <c>noise = empty_like(x).bernoulli_(1 - p);
/// noise.div_(1 - p); return x * noise</c>. Here <see cref="Mt19937"/> draws the mask (about ten times faster than
/// libtorch's one-element-at-a-time kernel), advances the generator exactly as <c>bernoulli_</c> would, and writes it
/// already divided: 1 / (1 − p) in float, which is what <c>div_</c> computes for a float tensor (the double divisor
/// rounded to float, then one correctly rounded division). The multiplication stays libtorch's, so autograd saves the
/// same noise.
/// <para>
/// Some CPUs draw that mask differently (MKL's generator on Intel ones), so <see cref="Create"/> runs both on a probe and
/// returns null unless outputs and generator states agree bit for bit; the caller then keeps <c>nn.Dropout</c>. Not
/// thread-safe: one instance per training loop.
/// </para>
/// </summary>
sealed class ExactDropout
{
    readonly Mt19937 _generator = new();
    readonly float _scale;
    readonly Generator? _source;

    /// <summary>The drop probability.</summary>
    public double P { get; }

    ExactDropout(double p, Generator? source)
    {
        P = p;
        _scale = 1f / (float)(1 - p);
        _source = source;
    }

    /// <summary>
    /// A dropout of probability <paramref name="p"/> (0 &lt; p &lt; 1) that reproduces libtorch's on this machine, or null
    /// (another <c>bernoulli_</c> kernel, another generator-state layout). The check leaves the global generator as it was.
    /// </summary>
    /// <param name="source">The masks' generator (a <c>DropoutWithGenerator</c>'s); null for the global one.</param>
    public static ExactDropout? Create(double p, Generator? source = null)
    {
        if (!(p > 0 && p < 1)) return null;
        return new ExactDropout(p, null).AgreesWithLibtorch() ? new ExactDropout(p, source) : null;
    }

    /// <summary>True when <paramref name="input"/> is a tensor this class handles: contiguous float32 on the CPU, not empty.</summary>
    public static bool Handles(Tensor input) =>
        input.device_type == DeviceType.CPU && input.dtype == ScalarType.Float32 && input.is_contiguous() && input.numel() > 0;

    /// <summary>x · mask / (1 − p), the mask drawn from the generator (its own, or the global one); belongs to the caller's dispose scope.</summary>
    public Tensor Forward(Tensor input)
    {
        if (!Handles(input)) throw new ArgumentException("exact dropout takes a non-empty contiguous float32 CPU tensor.", nameof(input));
        var noise = empty_like(input);
        using (var state = _source?.get_state() ?? random.get_rng_state())
        {
            var blob = state.bytes;
            _generator.Load(blob);
            _generator.FillBernoulli(MemoryMarshal.Cast<byte, float>(noise.bytes), 1 - P, _scale);
            _generator.Store(blob);
            if (_source is null) random.set_rng_state(state);
            else _source.set_state(state);
        }
        return input.mul(noise);
    }

    bool AgreesWithLibtorch()
    {
        using var scope = NewDisposeScope();
        // An odd element count and a generator part-way through its block: the pair that straddles a twist is exercised.
        using var probeGenerator = new Generator(20240601);
        using var probeInput = rand([37, 201], generator: probeGenerator);
        var saved = random.get_rng_state();
        try
        {
            var expected = nn.functional.dropout(probeInput, P, training: true);
            var expectedState = random.get_rng_state();
            random.set_rng_state(saved);
            Tensor actual;
            try
            {
                actual = Forward(probeInput);
            }
            catch (ArgumentException)
            {
                return false; // a generator state this class cannot read
            }
            var actualState = random.get_rng_state();
            // Bit for bit: the values (as bytes, so that even the sign of a zero counts) and the generator's position.
            return expected.shape.SequenceEqual(actual.shape) && expected.contiguous().bytes.SequenceEqual(actual.bytes)
                && expectedState.bytes.SequenceEqual(actualState.bytes);
        }
        finally
        {
            random.set_rng_state(saved);
        }
    }
}
