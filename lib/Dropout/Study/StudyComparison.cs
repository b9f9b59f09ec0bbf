namespace Dropout.Study;

/// <summary>
/// Two pairs compared on one metric over seeds: the difference of their means and its standard error
/// (√(s₁²/n₁ + s₂²/n₂)). A difference beyond two standard errors counts as clear; inside, as noise.
/// With three seeds per pair this is a rough rule, not a significance test.
/// </summary>
/// <param name="A">The first pair.</param>
/// <param name="B">The second pair.</param>
/// <param name="Metric">The metric's name ("test_acc", "train_loss", ...).</param>
/// <param name="HigherIsBetter">True for accuracies, false for losses.</param>
/// <param name="Difference">mean(A) − mean(B).</param>
/// <param name="StdError">Standard error of the difference; null when a pair has a single seed.</param>
public sealed record PairComparison(DropoutPair A, DropoutPair B, string Metric, bool HigherIsBetter, double Difference, double? StdError)
{
    /// <summary>Compares <paramref name="a"/> with <paramref name="b"/> on <paramref name="metric"/>.</summary>
    public static PairComparison Of(PairSummary a, PairSummary b, string metric)
    {
        var (ma, mb, higherIsBetter) = metric switch
        {
            "test_acc" => (a.TestAcc, b.TestAcc, true),
            "train_acc" => (a.TrainAcc, b.TrainAcc, true),
            "train_loss" => (a.TrainLoss, b.TrainLoss, false),
            _ => throw new ArgumentException($"metric must be test_acc, train_acc or train_loss; got '{metric}'.", nameof(metric)),
        };
        double? se = ma.Std is double sa && mb.Std is double sb ? Math.Sqrt(sa * sa / ma.N + sb * sb / mb.N) : null;
        return new PairComparison(a.Pair, b.Pair, metric, higherIsBetter, ma.Mean - mb.Mean, se);
    }

    /// <summary>The better pair when the difference exceeds two standard errors; null when it is within noise or cannot be judged (one seed).</summary>
    public DropoutPair? ClearlyBetter =>
        StdError is double se && Math.Abs(Difference) > 2 * se
            ? (Difference > 0) == HigherIsBetter ? A : B
            : null;

    /// <summary>"(0.2, 0.5) better on test_acc by 0.0123 (2·SE 0.0040)", "no clear difference ...", or "cannot judge with one seed ...".</summary>
    public override string ToString()
    {
        string by = $"{Math.Abs(Difference):0.0000}";
        if (StdError is not double se) return $"{(((Difference > 0) == HigherIsBetter) ? A : B)} ahead on {Metric} by {by}; cannot judge with one seed per pair";
        return ClearlyBetter is DropoutPair better
            ? $"{better} better on {Metric} by {by} (2·SE {2 * se:0.0000})"
            : $"no clear difference on {Metric}: {by} is within 2·SE {2 * se:0.0000}";
    }
}

/// <summary>Small statistics shared by the study's summary and the notebook.</summary>
public static class StudyStatistics
{
    /// <summary>Pearson's correlation of paired values; NaN when either side is constant.</summary>
    /// <exception cref="ArgumentException">Fewer than two pairs, or lengths differ.</exception>
    public static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
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

/// <summary>Where study results live by default, found from the repository root (the folder holding Dropout.Notebooks.sln).</summary>
public static class StudyFiles
{
    /// <summary><c>artifacts/study/results.csv</c>: what <c>study</c> writes by default and notebook 04 reads.</summary>
    public static string DefaultResultsPath => Path.Combine(RepositoryRoot, "artifacts", "study", "results.csv");

    /// <summary><c>artifacts/study/grid.csv</c>: where notebook 04 looks for a grid study (<c>study --grid ... --out artifacts/study/grid.csv</c>).</summary>
    public static string DefaultGridResultsPath => Path.Combine(RepositoryRoot, "artifacts", "study", "grid.csv");

    /// <summary>The repository root: walking up from the current directory, then from this assembly's folder; else the current directory.</summary>
    public static string RepositoryRoot
    {
        get
        {
            foreach (string start in new[] { Environment.CurrentDirectory, Path.GetDirectoryName(typeof(StudyFiles).Assembly.Location) ?? "" })
                for (var dir = start.Length > 0 ? new DirectoryInfo(start) : null; dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "Dropout.Notebooks.sln"))) return dir.FullName;
            return Environment.CurrentDirectory;
        }
    }
}
