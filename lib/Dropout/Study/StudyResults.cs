using Dropout.Statistics;
using Dropout.Training;

namespace Dropout.Study;

/// <summary>A study's runs per pair over seeds (<see cref="SeedRuns{T}"/>), and comparisons between pairs by the project's rule.</summary>
public sealed class StudyResults
{
    readonly Dictionary<DropoutPair, SeedRuns<TrainingHistory>> _pairs;

    StudyResults(Dictionary<DropoutPair, SeedRuns<TrainingHistory>> pairs) => _pairs = pairs;

    /// <summary>The results of <paramref name="runs"/>, the i-th trained into <paramref name="histories"/>[i].</summary>
    /// <exception cref="ArgumentException">The two lists differ in length, or a (pair, seed) appears twice.</exception>
    public static StudyResults Of(IReadOnlyList<SeededRun> runs, IReadOnlyList<TrainingHistory> histories)
    {
        if (runs.Count != histories.Count) throw new ArgumentException($"{runs.Count} runs but {histories.Count} histories.", nameof(histories));
        if (runs.Distinct().Count() != runs.Count) throw new ArgumentException("a (pair, seed) appears twice.", nameof(runs));
        var pairs = runs.Select((r, i) => (Run: r, History: histories[i])).GroupBy(x => x.Run.Pair).ToDictionary(g => g.Key,
            g => new SeedRuns<TrainingHistory>(g.Key.ToString(), g.Select(x => new SeedRun<TrainingHistory>(
                x.Run.Seed, x.History, Divergence.Find(x.History)?.ToString())).OrderBy(r => r.Seed).ToList()));
        return new StudyResults(pairs);
    }

    /// <summary>The pairs, in the order first trained.</summary>
    public IReadOnlyList<DropoutPair> Pairs => _pairs.Keys.ToList();

    /// <summary>One pair's runs.</summary>
    /// <exception cref="KeyNotFoundException">The pair was not trained.</exception>
    public SeedRuns<TrainingHistory> this[DropoutPair pair] =>
        _pairs.TryGetValue(pair, out var runs) ? runs : throw new KeyNotFoundException($"{pair} was not trained in this study.");

    /// <summary>True when <paramref name="pair"/> was trained.</summary>
    public bool Has(DropoutPair pair) => _pairs.ContainsKey(pair);

    /// <summary><paramref name="a"/> against <paramref name="b"/> on <paramref name="metric"/>; null when every run of a side diverged.</summary>
    public Comparison? Compare(DropoutPair a, DropoutPair b, TrainingMetric metric) =>
        this[a].Compare(this[b], metric.Name, h => metric.Of(h), metric.HigherIsBetter);

    /// <summary><paramref name="pair"/> against a fixed value (a number the source read off its curve); null when every run diverged.</summary>
    public Comparison? CompareWithValue(DropoutPair pair, double value, TrainingMetric metric) =>
        this[pair].Of(h => metric.Of(h)) is { } sample
            ? Comparison.WithValue(pair.ToString(), sample, value.ToString("0.00###", System.Globalization.CultureInfo.InvariantCulture), value, metric.Name, metric.HigherIsBetter)
            : null;

    /// <summary>Mean over the kept seeds of <paramref name="metric"/> for <paramref name="pair"/>; NaN when every run diverged.</summary>
    public double Mean(DropoutPair pair, TrainingMetric metric) => this[pair].Of(h => metric.Of(h))?.Mean ?? double.NaN;

    /// <summary>One row per pair: seeds kept and diverged, mean ± standard deviation of the final numbers, d2l's check passed.</summary>
    public IEnumerable<PairRow> Table() => _pairs.Values.Select(p => new PairRow(
        p.Name, p.Kept.Count, p.Diverged.Count,
        Round(p.Of(h => h.Final.TrainLoss)), Round(p.Of(h => h.Final.TrainLoss)?.Std),
        Round(p.Of(h => h.Final.TrainAcc)), Round(p.Of(h => h.Final.TestAcc)), Round(p.Of(h => h.Final.TestAcc)?.Std),
        $"{p.Runs.Count(r => r.Result.CheckD2l().Passed)}/{p.Runs.Count}"));

    static double Round(Sample? s) => Round(s?.Mean);
    static double Round(double? v) => v is double x ? Math.Round(x, 4) : double.NaN;
}

/// <summary>A pair's line in <see cref="StudyResults.Table"/> (means over the kept seeds; NaN when none is kept).</summary>
public sealed record PairRow(string Pair, int Seeds, int Diverged, double TrainLoss, double TrainLossStd,
    double TrainAcc, double TestAcc, double TestAccStd, string D2lCheckPassed);
