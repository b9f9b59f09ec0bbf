using System.Globalization;
using Dropout.Statistics;

namespace Dropout.Experiments.Benchmarks;

/// <summary>
/// Resident memory over a run of epochs in two halves: the first half's rise is warm-up (allocator and caches growing to
/// their working size); growth over the last half, memory that keeps coming every epoch, is what a leak shows.
/// </summary>
/// <param name="MiddleMiB">RSS after the epoch that ends the first half.</param>
/// <param name="FirstHalfEpochs">Epochs from the first to the middle one.</param>
/// <param name="LastHalfEpochs">Epochs from the middle one to the last.</param>
public sealed record RssTrend(double FirstMiB, double MiddleMiB, double LastMiB, int FirstHalfEpochs, int LastHalfEpochs)
{
    /// <summary>Last-half MiB/epoch counted as growing; a leaked 256×256 float activation per d2l step is 60, a plateau well under 1.</summary>
    public const double GrowingMiBPerEpoch = 2;

    /// <summary>Fewest epochs that can be split into two halves to compare.</summary>
    public const int MinimumEpochs = 3;

    /// <summary>RSS rise over the first half (first epoch → middle), MiB.</summary>
    public double WarmupRiseMiB => MiddleMiB - FirstMiB;

    /// <summary>RSS growth over the last half (middle → last epoch), MiB.</summary>
    public double LastHalfGrowthMiB => LastMiB - MiddleMiB;

    /// <summary><see cref="LastHalfGrowthMiB"/> per epoch.</summary>
    public double LastHalfMiBPerEpoch => LastHalfGrowthMiB / LastHalfEpochs;

    /// <summary>True when memory still grows over the last half at <see cref="GrowingMiBPerEpoch"/> or more per epoch.</summary>
    public bool Grows => LastHalfMiBPerEpoch >= GrowingMiBPerEpoch;

    /// <summary>"flat", "plateau after a warm-up rise of N MiB" or "still growing", with the figures.</summary>
    public string Verdict
    {
        get
        {
            string lastHalf = $"{Format(LastHalfGrowthMiB)} MiB over the last {LastHalfEpochs} epochs ({Format(LastHalfMiBPerEpoch)} MiB/epoch)";
            if (Grows)
                return $"still growing: {lastHalf}, after {Format(WarmupRiseMiB)} MiB over the first {FirstHalfEpochs}. A leak, or a warm-up " +
                       "longer than this run: run more epochs to tell them apart";
            return WarmupRiseMiB >= GrowingMiBPerEpoch * FirstHalfEpochs
                ? $"plateau after a warm-up rise of {Format(WarmupRiseMiB)} MiB over the first {FirstHalfEpochs} epochs: {lastHalf}"
                : $"flat: {Format(WarmupRiseMiB)} MiB over the first {FirstHalfEpochs} epochs, {lastHalf}";
        }
    }

    /// <summary>Splits the RSS after each epoch (warm-up included) at epoch ⌈n/2⌉: first half up to it, last half on to n.</summary>
    /// <exception cref="ArgumentException">Fewer than <see cref="MinimumEpochs"/> values.</exception>
    public static RssTrend From(IReadOnlyList<double> rssAfterEachEpochMiB)
    {
        int n = rssAfterEachEpochMiB.Count;
        if (n < MinimumEpochs)
            throw new ArgumentException($"telling a warm-up from growth takes at least {MinimumEpochs} epochs; got {n}.", nameof(rssAfterEachEpochMiB));
        int middle = (n - 1) / 2;
        return new RssTrend(rssAfterEachEpochMiB[0], rssAfterEachEpochMiB[middle], rssAfterEachEpochMiB[n - 1], middle, n - 1 - middle);
    }

    static string Format(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
