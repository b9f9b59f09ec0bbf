using System.Globalization;
using Dropout.Study;

namespace Dropout.Experiments.Study;

/// <summary>Where a study stands after an epoch, or at the start of a run.</summary>
/// <param name="PairNumber">1-based position of the pair in the plan.</param>
/// <param name="SeedNumber">1-based position of the seed in the plan.</param>
/// <param name="Epoch">Epochs of this run finished so far (0 when it starts).</param>
/// <param name="EpochsDone">Epochs finished in this invocation, by all workers.</param>
/// <param name="EpochsTotal">Epochs this invocation trains in all.</param>
/// <param name="Elapsed">Wall time since this invocation started training.</param>
/// <param name="Eta">Estimated time left (<see cref="StudyEta"/>); null before the first epoch.</param>
/// <param name="Worker">1-based number of the worker training this run.</param>
public sealed record StudyProgress(int PairNumber, int PairCount, DropoutPair Pair, int SeedNumber, int SeedCount,
    int Epoch, int Epochs, int EpochsDone, int EpochsTotal, TimeSpan Elapsed, TimeSpan? Eta, int Worker = 1, int Workers = 1)
{
    /// <summary>"worker 2/2: pair 3/12 (0.8, 0.5) seed 2/3 epoch 7/10 — 45/360 epochs, elapsed 2m10s, ETA 4m30s".</summary>
    public override string ToString() =>
        $"worker {Worker}/{Workers}: {Run} — {EpochsDone}/{EpochsTotal} epochs, elapsed {Duration(Elapsed)}, ETA {(Eta is TimeSpan eta ? Duration(eta) : "…")}";

    /// <summary>"pair 3/12 (0.8, 0.5) seed 2/3 epoch 7/10": the run and epoch alone.</summary>
    public string Run => $"pair {PairNumber}/{PairCount} {Pair} seed {SeedNumber}/{SeedCount} epoch {Epoch}/{Epochs}";

    /// <summary>A short duration: "45s", "2m10s", "1h05m".</summary>
    public static string Duration(TimeSpan t)
    {
        var c = CultureInfo.InvariantCulture;
        if (t.TotalHours >= 1) return string.Create(c, $"{(int)t.TotalHours}h{t.Minutes:00}m");
        if (t.TotalMinutes >= 1) return string.Create(c, $"{(int)t.TotalMinutes}m{t.Seconds:00}s");
        return string.Create(c, $"{(int)Math.Round(t.TotalSeconds)}s");
    }
}
