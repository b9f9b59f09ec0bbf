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

    /// <summary>Pearson's r with its approximate 95 % interval (Fisher's z: atanh r ± 1.96 / √(n − 3)); NaN interval below 4 points.</summary>
    public static (double R, double Low, double High, int N) PearsonWithInterval(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double r = Pearson(x, y);
        int n = x.Count;
        if (n < 4 || double.IsNaN(r)) return (r, double.NaN, double.NaN, n);
        double z = Math.Atanh(Math.Clamp(r, -0.999999999, 0.999999999)), half = 1.959963984540054 / Math.Sqrt(n - 3);
        return (r, Math.Tanh(z - half), Math.Tanh(z + half), n);
    }
}
