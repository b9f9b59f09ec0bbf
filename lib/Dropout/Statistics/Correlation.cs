namespace Dropout.Statistics;

/// <summary>Pearson's correlation of paired values.</summary>
public static class Correlation
{
    /// <summary>Pearson's r of <paramref name="x"/> and <paramref name="y"/>; NaN when either side is constant.</summary>
    /// <exception cref="ArgumentException">Fewer than two pairs, or lengths differ.</exception>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"the two lists differ in length ({x.Count} and {y.Count}).", nameof(y));
        if (x.Count < 2) throw new ArgumentException("a correlation needs at least two points.", nameof(x));
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
