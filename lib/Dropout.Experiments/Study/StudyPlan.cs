using System.Globalization;
using Dropout.Layers;
using Dropout.Study;

namespace Dropout.Experiments.Study;

/// <summary>Which (pair, seed) runs a study trains: every pair with every seed, pair by pair; <see cref="Shard"/> slices them.</summary>
public sealed class StudyPlan
{
    /// <summary>The source's pairs, in the source's order.</summary>
    public static IReadOnlyList<DropoutPair> SourcePairs { get; } =
    [
        new(0.2, 0.5), new(0.5, 0.8), new(0.8, 0.5), new(0.5, 0.2), new(0.1, 0.3), new(0.3, 0.1),
        new(0.02, 0.05), new(0.2, 0.2), new(0.02, 0.02), new(0.4, 0.4), new(0.6, 0.6),
    ];

    /// <summary>The no-dropout baseline (0, 0).</summary>
    public static DropoutPair Baseline { get; } = new(0, 0);

    /// <summary>The default study: <see cref="SourcePairs"/> followed by <see cref="Baseline"/>.</summary>
    public static IReadOnlyList<DropoutPair> DefaultPairs { get; } = [.. SourcePairs, Baseline];

    /// <summary>The most seeds per pair a plan takes (more is not a study anyone can finish on a CPU).</summary>
    public const int MaxSeeds = 10_000;

    /// <summary>The most pairs a plan takes: a grid of 100 probabilities.</summary>
    public const int MaxPairs = 10_000;

    /// <summary>The most runs a plan takes: 100,000 × 10 epochs × 1.3 s is two weeks on 2 cores; split larger studies.</summary>
    public const int MaxRuns = 100_000;

    /// <summary>The pairs to train, without repeats, in order.</summary>
    public IReadOnlyList<DropoutPair> Pairs { get; }
    /// <summary>The seeds each pair is trained from, without repeats, in order.</summary>
    public IReadOnlyList<int> Seeds { get; }
    /// <summary>Every (pair, seed), pair-major: all seeds of the first pair, then the next pair, ...</summary>
    public IReadOnlyList<SeededRun> Runs { get; }

    /// <summary>Builds the plan; repeated pairs or seeds are kept once.</summary>
    /// <exception cref="ArgumentException">No pair or no seed, or more than <see cref="MaxPairs"/> pairs, <see cref="MaxSeeds"/> seeds or <see cref="MaxRuns"/> runs.</exception>
    public StudyPlan(IEnumerable<DropoutPair> pairs, IEnumerable<int> seeds)
    {
        Pairs = pairs.Distinct().ToList();
        Seeds = seeds.Distinct().ToList();
        if (Pairs.Count == 0) throw new ArgumentException("a study needs at least one pair of dropout probabilities.", nameof(pairs));
        if (Seeds.Count == 0) throw new ArgumentException("a study needs at least one seed.", nameof(seeds));
        if (Pairs.Count > MaxPairs) throw new ArgumentException($"a study takes at most {MaxPairs:N0} pairs; got {Pairs.Count:N0}.", nameof(pairs));
        if (Seeds.Count > MaxSeeds) throw new ArgumentException($"a study takes at most {MaxSeeds:N0} seeds per pair; got {Seeds.Count:N0}.", nameof(seeds));
        if ((long)Pairs.Count * Seeds.Count > MaxRuns)
            throw new ArgumentException($"{Pairs.Count:N0} pairs × {Seeds.Count:N0} seeds = {(long)Pairs.Count * Seeds.Count:N0} runs; a study takes at most {MaxRuns:N0} " +
                "(about two weeks of training on 2 cores). Use fewer seeds or pairs, or split the study into several.", nameof(seeds));
        Runs = Pairs.SelectMany(p => Seeds.Select(s => new SeededRun(p, s))).ToList();
    }

    /// <summary>1-based position of <paramref name="pair"/> in <see cref="Pairs"/>, or 0 when the plan lacks it (progress lines say "pair 3/12").</summary>
    public int PairNumber(DropoutPair pair) => IndexOf(Pairs, pair) + 1;

    /// <summary>1-based position of <paramref name="seed"/> in <see cref="Seeds"/>, or 0 when the plan lacks it.</summary>
    public int SeedNumber(int seed) => IndexOf(Seeds, seed) + 1;

    static int IndexOf<T>(IReadOnlyList<T> list, T item)
    {
        for (int i = 0; i < list.Count; i++)
            if (EqualityComparer<T>.Default.Equals(list[i], item)) return i;
        return -1;
    }

    /// <summary>Seeds 0, 1, ..., <paramref name="count"/> - 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1 or above <see cref="MaxSeeds"/>.</exception>
    public static IReadOnlyList<int> SeedRange(int count) =>
        count is >= 1 and <= MaxSeeds ? Enumerable.Range(0, count).ToList()
            : throw new ArgumentOutOfRangeException(nameof(count), count, $"the number of seeds must be between 1 and {MaxSeeds:N0}; got {count:N0}.");

    /// <summary>Every (p1, p2) with both taken from <paramref name="probabilities"/>: p1-major, in the list's order.</summary>
    /// <exception cref="ArgumentException">A value is not a probability, or the grid would exceed <see cref="MaxPairs"/> pairs.</exception>
    public static IReadOnlyList<DropoutPair> Grid(IEnumerable<double> probabilities)
    {
        var values = probabilities.Distinct().ToList();
        foreach (double p in values) DropoutOps.CheckProbability(p, nameof(probabilities));
        if ((long)values.Count * values.Count > MaxPairs)
            throw new ArgumentException($"a grid of {values.Count:N0} probabilities makes {(long)values.Count * values.Count:N0} pairs; at most {MaxPairs:N0} " +
                $"({(int)Math.Sqrt(MaxPairs)} probabilities) are allowed.", nameof(probabilities));
        return values.SelectMany(p1 => values.Select(p2 => new DropoutPair(p1, p2))).ToList();
    }

    /// <summary>Parses "0,0.1,0.2" into probabilities.</summary>
    /// <exception cref="FormatException">A value is not a probability, or the list is empty.</exception>
    public static IReadOnlyList<double> ParseProbabilities(string text)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw new FormatException("the grid is empty; write e.g. 0,0.1,0.2.");
        return items.Select(t => DropoutPair.ParseProbability(t, "grid value")).ToList();
    }

    /// <summary>
    /// Slice <paramref name="k"/> (1-based) of <paramref name="n"/> disjoint slices of <see cref="Runs"/>: run i goes to
    /// slice (i mod n) + 1, so the slices differ by at most one run and together cover the plan.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n &lt; 1 or k outside 1..n.</exception>
    public IReadOnlyList<SeededRun> Shard(int k, int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, $"the number of shards must be at least 1; got {n}.");
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"the shard must be between 1 and {n}; got {k}.");
        return Runs.Where((_, i) => i % n == k - 1).ToList();
    }

    /// <summary>Parses "K/N" (e.g. "2/8": the second of eight slices).</summary>
    /// <exception cref="FormatException">Not "K/N" with 1 ≤ K ≤ N.</exception>
    public static (int K, int N) ParseShard(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && k >= 1 && k <= n)
            return (k, n);
        throw new FormatException($"'{text}' is not a shard; write K/N with 1 <= K <= N, e.g. 1/4 for the first of four slices.");
    }

    /// <summary>The order results are shown and merged in: the source's pairs, the baseline, then the rest by (p1, p2).</summary>
    public static IOrderedEnumerable<T> InDisplayOrder<T>(IEnumerable<T> items, Func<T, DropoutPair> pairOf) =>
        items.OrderBy(item => DisplayRank(pairOf(item))).ThenBy(item => pairOf(item).P1).ThenBy(item => pairOf(item).P2);

    static int DisplayRank(DropoutPair pair)
    {
        for (int i = 0; i < DefaultPairs.Count; i++)
            if (DefaultPairs[i] == pair) return i;
        return DefaultPairs.Count;
    }
}
