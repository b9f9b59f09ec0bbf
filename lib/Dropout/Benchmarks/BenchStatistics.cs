namespace Dropout.Benchmarks;

/// <summary>Summary statistics for repeated timings.</summary>
public static class BenchStatistics
{
    /// <summary>
    /// The median: the middle value of the sorted sample, or the mean of the two middle values when the
    /// count is even. Robust to the odd slow run that a single timing or a mean would report.
    /// </summary>
    /// <exception cref="ArgumentException">The sample is empty or holds NaN.</exception>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0) throw new ArgumentException("the median of no values is undefined; measure at least once.", nameof(values));
        if (sorted.Any(double.IsNaN)) throw new ArgumentException("a timing is NaN.", nameof(values));
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
