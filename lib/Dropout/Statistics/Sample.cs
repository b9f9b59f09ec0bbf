using System.Globalization;

namespace Dropout.Statistics;

/// <summary>Measurements of one quantity, one per seed, the values kept beside the statistics (a mean of three can hide one run).</summary>
public sealed record Sample
{
    Sample(IReadOnlyList<double> values) => Values = values;

    /// <summary>The measurements, in the order given.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>How many measurements.</summary>
    public int N => Values.Count;

    /// <summary>Arithmetic mean.</summary>
    public double Mean => Values.Average();

    /// <summary>Sample standard deviation (n − 1); null for a single measurement, where it is undefined.</summary>
    public double? Std => N > 1 ? Math.Sqrt(Values.Sum(v => (v - Mean) * (v - Mean)) / (N - 1)) : null;

    /// <summary>Standard error of the mean, s / √n; null for a single measurement.</summary>
    public double? StdError => Std is double s ? s / Math.Sqrt(N) : null;

    /// <summary>The 95 % confidence interval of the mean (Student's t, n − 1 degrees of freedom); NaN for a single value.</summary>
    public (double Low, double High) MeanInterval
    {
        get
        {
            if (StdError is not double se) return (double.NaN, double.NaN);
            double half = StudentT.Critical(N - 1) * se;
            return (Mean - half, Mean + half);
        }
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count).</summary>
    public double Median
    {
        get
        {
            var sorted = Values.Order().ToArray();
            return N % 2 == 1 ? sorted[N / 2] : (sorted[N / 2 - 1] + sorted[N / 2]) / 2;
        }
    }

    /// <summary>The smallest value.</summary>
    public double Min => Values.Min();

    /// <summary>The largest value.</summary>
    public double Max => Values.Max();

    /// <summary>The sample of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">No value, or a value that is NaN or infinite (a diverged run belongs beside a mean, not in it).</exception>
    public static Sample Of(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) throw new ArgumentException("a sample needs at least one value.", nameof(values));
        int bad = list.FindIndex(v => !double.IsFinite(v));
        if (bad >= 0) throw new ArgumentException($"value {bad + 1} of the sample is {list[bad]}; keep diverged runs out of means and show them beside.", nameof(values));
        return new Sample(list);
    }

    /// <summary>"0.8521 ± 0.0040", or "0.8521 ± n/a" for a single value (± one sample standard deviation).</summary>
    public string ToString(string format) =>
        $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {(Std is double s ? s.ToString(format, CultureInfo.InvariantCulture) : "n/a")}";

    /// <summary>Every value, in order: "[0.8512, 0.8530, 0.8521]".</summary>
    public string ValuesText(string format) =>
        "[" + string.Join(", ", Values.Select(v => v.ToString(format, CultureInfo.InvariantCulture))) + "]";

    /// <inheritdoc/>
    public override string ToString() => ToString("0.0000");
}
