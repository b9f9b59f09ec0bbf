using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dropout.Experiments.Training;

/// <summary>
/// libtorch's CPU generator (<c>at::mt19937</c>, the Mersenne Twister behind <c>torch.manual_seed</c>) in managed code:
/// loaded from a <c>get_state()</c> blob, drawn from, and stored back, so torch's generator ends where libtorch's own
/// draws would have left it.
/// <para>
/// <see cref="FillBernoulli"/> draws what libtorch's portable <c>bernoulli_(p)</c> kernel draws on a float tensor: one
/// <c>random64()</c> per element (two 32-bit outputs, the first high), its low 53 bits as a double u in [0, 1), and 1
/// when u &lt; p. libtorch takes that kernel where it does not use MKL's generator (on AMD CPUs, for example);
/// <see cref="ExactDropout"/> checks on the running machine that the two agree.
/// </para>
/// </summary>
sealed class Mt19937
{
    const int N = 624, M = 397;
    const uint UpperMask = 0x80000000, LowerMask = 0x7fffffff, MatrixA = 0x9908b0df;

    // Layout of libtorch's CPUGeneratorImplState (a byte tensor from get_state()): u64 initial seed, i32 left,
    // i32 seeded, u64 next, u64 state[624], then normal-distribution caches this class leaves untouched.
    const int LeftOffset = 8, NextOffset = 16, StateOffset = 24;
    /// <summary>Size in bytes of the state blob of libtorch 2.x's CPU generator.</summary>
    public const int StateBytes = 5056;

    readonly uint[] _state = new uint[N];
    readonly uint[] _tempered = new uint[N]; // the outputs of the current block, tempered once per twist
    int _left;
    int _next;

    /// <summary>Takes the generator's position from a <c>get_state()</c> blob.</summary>
    /// <exception cref="ArgumentException">The blob is not libtorch 2.x's CPU generator state.</exception>
    public void Load(ReadOnlySpan<byte> blob)
    {
        if (blob.Length != StateBytes) throw new ArgumentException($"a CPU generator state has {StateBytes} bytes; got {blob.Length}.", nameof(blob));
        _left = MemoryMarshal.Read<int>(blob[LeftOffset..]);
        ulong next = MemoryMarshal.Read<ulong>(blob[NextOffset..]);
        if (_left < 1 || _left > N || next > N) throw new ArgumentException($"not a Mersenne Twister state: left {_left}, next {next}.", nameof(blob));
        _next = (int)next;
        var words = MemoryMarshal.Cast<byte, ulong>(blob.Slice(StateOffset, 8 * N));
        for (int i = 0; i < N; i++) _state[i] = (uint)words[i];
        Temper();
    }

    /// <summary>Writes the generator's position into a <c>get_state()</c> blob (the rest of the blob is kept).</summary>
    public void Store(Span<byte> blob)
    {
        if (blob.Length != StateBytes) throw new ArgumentException($"a CPU generator state has {StateBytes} bytes; got {blob.Length}.", nameof(blob));
        MemoryMarshal.Write(blob[LeftOffset..], in _left);
        ulong next = (ulong)_next;
        MemoryMarshal.Write(blob[NextOffset..], in next);
        var words = MemoryMarshal.Cast<byte, ulong>(blob.Slice(StateOffset, 8 * N));
        for (int i = 0; i < N; i++) words[i] = _state[i];
    }

    /// <summary>The next 32-bit output, as <c>at::mt19937::operator()</c>.</summary>
    public uint NextUInt32()
    {
        if (--_left == 0) Twist();
        return _tempered[_next++];
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with <paramref name="value"/> (probability <paramref name="p"/>) or 0, drawing
    /// what <c>bernoulli_(p)</c> draws for a contiguous float tensor that long (with <paramref name="value"/> 1, its result).
    /// </summary>
    public void FillBernoulli(Span<float> destination, double p, float value = 1f)
    {
        // u = (random64 & (2^53 - 1)) · 2^-53 and the element is u < p. Both sides scaled by 2^53 are exact, and the
        // 53-bit integer v is below p · 2^53 exactly when it is below its ceiling: one integer comparison per element.
        ulong threshold = (ulong)Math.Ceiling(p * 9007199254740992.0);
        int i = 0;
        while (i < destination.Length)
        {
            // Whole pairs of outputs left in this block before the next twist; the pair that straddles a twist goes one by one.
            int pairs = Math.Min((_left - 1) / 2, destination.Length - i);
            if (pairs == 0)
            {
                uint high = NextUInt32(), low = NextUInt32();
                destination[i++] = Keep(high, low, threshold, value);
                continue;
            }
            FillPairs(_tempered.AsSpan(_next, 2 * pairs), destination.Slice(i, pairs), threshold, value);
            _next += 2 * pairs;
            _left -= 2 * pairs;
            i += pairs;
        }
    }

    static float Keep(uint high, uint low, ulong threshold, float value)
    {
        ulong v = ((ulong)(high & 0x1FFFFF) << 32) | low;
        return v < threshold ? value : 0f;
    }

    static void FillPairs(ReadOnlySpan<uint> outputs, Span<float> destination, ulong threshold, float value)
    {
        int pairs = destination.Length, k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref ulong words = ref Unsafe.As<uint, ulong>(ref MemoryMarshal.GetReference(outputs));
            ref float d = ref MemoryMarshal.GetReference(destination);
            var mask53 = Vector256.Create((1UL << 53) - 1);
            var limit = Vector256.Create((long)threshold);
            var kept = Vector256.Create(value);
            for (; k + 8 <= pairs; k += 8)
            {
                // Little-endian: a pair (high, low) read as one ulong is low·2^32 + high; swap the halves, keep 53 bits.
                var x0 = Vector256.LoadUnsafe(ref words, (nuint)k);
                var x1 = Vector256.LoadUnsafe(ref words, (nuint)(k + 4));
                var v0 = (Vector256.ShiftLeft(x0, 32) | Vector256.ShiftRightLogical(x0, 32)) & mask53;
                var v1 = (Vector256.ShiftLeft(x1, 32) | Vector256.ShiftRightLogical(x1, 32)) & mask53;
                var keep = Vector256.Narrow(Vector256.LessThan(v0.AsInt64(), limit), Vector256.LessThan(v1.AsInt64(), limit));
                (keep.AsSingle() & kept).StoreUnsafe(ref d, (nuint)k);
            }
        }
        for (; k < pairs; k++) destination[k] = Keep(outputs[2 * k], outputs[2 * k + 1], threshold, value);
    }

    /// <summary>at::mt19937's next_state(): the next 624 words, then their tempered outputs.</summary>
    void Twist()
    {
        _left = N;
        _next = 0;
        var s = _state;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Word k depends on words k, k+1 (old) and k+M (old) or k+M-N (already new, 227 words back): 8 at a time is safe.
            for (; k + 8 <= N - M; k += 8) TwistVector(s, k, M);
            for (; k < N - M; k++) s[k] = s[k + M] ^ TwistWord(s[k], s[k + 1]);
            for (; k + 8 <= N - 1; k += 8) TwistVector(s, k, M - N);
        }
        for (; k < N - M; k++) s[k] = s[k + M] ^ TwistWord(s[k], s[k + 1]);
        for (; k < N - 1; k++) s[k] = s[k + M - N] ^ TwistWord(s[k], s[k + 1]);
        s[N - 1] = s[M - 1] ^ TwistWord(s[N - 1], s[0]);
        Temper();
    }

    static uint TwistWord(uint u, uint v) => (((u & UpperMask) | (v & LowerMask)) >> 1) ^ ((v & 1) != 0 ? MatrixA : 0);

    static void TwistVector(uint[] s, int k, int offset)
    {
        ref uint s0 = ref MemoryMarshal.GetArrayDataReference(s);
        var u = Vector256.LoadUnsafe(ref s0, (nuint)k);
        var v = Vector256.LoadUnsafe(ref s0, (nuint)(k + 1));
        var w = Vector256.LoadUnsafe(ref s0, (nuint)(k + offset));
        var mixed = Vector256.ShiftRightLogical((u & Vector256.Create(UpperMask)) | (v & Vector256.Create(LowerMask)), 1);
        var odd = Vector256.Equals(v & Vector256.Create(1u), Vector256.Create(1u)) & Vector256.Create(MatrixA);
        (w ^ mixed ^ odd).StoreUnsafe(ref s0, (nuint)k);
    }

    void Temper()
    {
        ref uint s0 = ref MemoryMarshal.GetArrayDataReference(_state);
        ref uint t0 = ref MemoryMarshal.GetArrayDataReference(_tempered);
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; k + 8 <= N; k += 8)
            {
                var y = Vector256.LoadUnsafe(ref s0, (nuint)k);
                y ^= Vector256.ShiftRightLogical(y, 11);
                y ^= Vector256.ShiftLeft(y, 7) & Vector256.Create(0x9d2c5680u);
                y ^= Vector256.ShiftLeft(y, 15) & Vector256.Create(0xefc60000u);
                y ^= Vector256.ShiftRightLogical(y, 18);
                y.StoreUnsafe(ref t0, (nuint)k);
            }
        for (; k < N; k++)
        {
            uint y = _state[k];
            y ^= y >> 11;
            y ^= (y << 7) & 0x9d2c5680;
            y ^= (y << 15) & 0xefc60000;
            y ^= y >> 18;
            _tempered[k] = y;
        }
    }
}
