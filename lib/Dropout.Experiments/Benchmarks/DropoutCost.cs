using System.Diagnostics;
using Dropout.Experiments.Training;
using Dropout.Layers;
using Dropout.Statistics;
using Dropout.Training;
using static TorchSharp.torch;

namespace Dropout.Experiments.Benchmarks;

/// <summary>
/// What a dropout mask costs, forward only, on a hidden activation of d2l's shape: <c>functional.dropout</c> (what
/// <c>nn.Dropout</c> calls; mask from <c>bernoulli_</c>), d2l's scratch <see cref="DropoutOps.DropoutLayer"/> (mask =
/// <c>rand &gt; p</c>) and, where it matches libtorch here, <see cref="FastTrainer"/>'s <see cref="ExactDropout"/>.
/// </summary>
public static class DropoutCost
{
    /// <summary>One method's median wall time per call, in µs.</summary>
    public sealed record Result(string Method, double MicrosecondsPerCall);

    /// <summary>
    /// Times <paramref name="calls"/> calls of each method, <paramref name="repeats"/> times, alternating the methods,
    /// on a <paramref name="rows"/> × <paramref name="columns"/> float32 activation with drop probability <paramref name="p"/>.
    /// </summary>
    public static IReadOnlyList<Result> Measure(long rows = 256, long columns = 256, double p = 0.5, int calls = 200, int repeats = 5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(calls);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        using var h = rand(rows, columns);
        var exact = ExactDropout.Create(p);
        var methods = new List<(string Name, Func<Tensor> Call)>
        {
            ("functional.dropout (nn.Dropout; bernoulli_ mask)", () => nn.functional.dropout(h, p, training: true)),
            ("scratch dropout_layer (rand > p mask)", () => DropoutOps.DropoutLayer(h, p)),
        };
        if (exact is not null) methods.Add(("FastTrainer's exact dropout (nn.Dropout's values, managed mask)", () => exact.Forward(h)));
        var times = methods.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < repeats; r++)
            for (int m = 0; m < methods.Count; m++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < calls; i++)
                {
                    using var scope = NewDisposeScope();
                    methods[m].Call();
                }
                times[m].Add(clock.Elapsed.TotalMicroseconds / calls);
            }
        return methods.Select((m, i) => new Result(m.Name, Sample.Of(times[i]).Median)).ToList();
    }
}
