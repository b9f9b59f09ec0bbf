using System.Globalization;

namespace Dropout;

/// <summary>The spread of one net's test losses over seeds.</summary>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Std">Sample standard deviation (divides by n − 1; 0 for a single seed).</param>
/// <param name="Min">Smallest loss.</param>
/// <param name="Max">Largest loss.</param>
public sealed record LossStats(double Mean, double Std, double Min, double Max)
{
    /// <summary>Statistics of <paramref name="losses"/>.</summary>
    /// <exception cref="ArgumentException">There is no value, or a value is NaN or infinite.</exception>
    public static LossStats Of(IEnumerable<double> losses)
    {
        var values = losses.ToArray();
        if (values.Length == 0) throw new ArgumentException("there is no loss to summarize (run at least one seed).", nameof(losses));
        if (values.Any(v => !double.IsFinite(v))) throw new ArgumentException("a loss is NaN or infinite; that run diverged.", nameof(losses));
        double mean = values.Average();
        double std = values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return new LossStats(mean, std, values.Min(), values.Max());
    }
}

/// <summary>One row of the summary table: a net's test losses over the seeds and how often it beat net_overfitting.</summary>
/// <param name="Net">Which net.</param>
/// <param name="Mean">Mean test loss.</param>
/// <param name="Std">Sample standard deviation of the test loss.</param>
/// <param name="Min">Smallest test loss.</param>
/// <param name="Max">Largest test loss.</param>
/// <param name="BeatsOverfitting">Seeds in which this net's test loss was strictly below net_overfitting's (0 for net_overfitting itself).</param>
/// <param name="Seeds">Seeds run.</param>
public sealed record RegressionSummaryRow(string Net, double Mean, double Std, double Min, double Max, int BeatsOverfitting, int Seeds);

/// <summary>What the multi-seed study found: for each net the spread of its test losses, and win counts against net_overfitting.</summary>
/// <param name="Seeds">How many seeds were run.</param>
/// <param name="Overfitting">net_overfitting's test losses.</param>
/// <param name="Dropout">net_dropped's test losses.</param>
/// <param name="L2">The weight-decay variant's test losses.</param>
/// <param name="L1">The L1-penalty variant's test losses.</param>
/// <param name="DropoutBetter">Seeds where dropout's test loss &lt; net_overfitting's.</param>
/// <param name="L2Better">Seeds where L2's test loss &lt; net_overfitting's.</param>
/// <param name="L1Better">Seeds where L1's test loss &lt; net_overfitting's.</param>
public sealed record RegressionStudySummary(int Seeds, LossStats Overfitting, LossStats Dropout, LossStats L2, LossStats L1,
    int DropoutBetter, int L2Better, int L1Better)
{
    /// <summary>Summarizes per-seed results.</summary>
    /// <exception cref="ArgumentException">There is no result, or a loss is NaN or infinite.</exception>
    public static RegressionStudySummary Of(IReadOnlyCollection<RegressionSeedResult> results)
    {
        if (results.Count == 0) throw new ArgumentException("there is no seed to summarize (run at least one).", nameof(results));
        return new RegressionStudySummary(results.Count,
            LossStats.Of(results.Select(r => r.Overfitting)), LossStats.Of(results.Select(r => r.Dropout)),
            LossStats.Of(results.Select(r => r.L2)), LossStats.Of(results.Select(r => r.L1)),
            results.Count(r => r.Dropout < r.Overfitting), results.Count(r => r.L2 < r.Overfitting), results.Count(r => r.L1 < r.Overfitting));
    }

    /// <summary>The summary as four table rows: overfitting, dropout, L2 (weight_decay), L1.</summary>
    public IReadOnlyList<RegressionSummaryRow> Rows =>
    [
        Row("overfitting", Overfitting, 0),
        Row("dropout", Dropout, DropoutBetter),
        Row("L2 (weight_decay)", L2, L2Better),
        Row("L1 (λ·Σ|w| in the loss)", L1, L1Better),
    ];

    RegressionSummaryRow Row(string net, LossStats s, int wins) => new(net, s.Mean, s.Std, s.Min, s.Max, wins, Seeds);

    /// <summary>"dropout beat overfitting in k of n seeds; test loss mean ± std: …" with four decimals.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string Stat(LossStats s) => string.Format(c, "{0:F4} ± {1:F4}", s.Mean, s.Std);
        return $"dropout beat overfitting in {DropoutBetter} of {Seeds} seeds; test loss mean ± std: " +
               $"overfitting {Stat(Overfitting)}, dropout {Stat(Dropout)} (L2 beat it in {L2Better}, L1 in {L1Better}: " +
               $"L2 {Stat(L2)}, L1 {Stat(L1)})";
    }
}
