using Dropout.Study;
using Dropout.Training;

namespace Dropout.Tests.Experiments.Study;

/// <summary>A stand-in trainer whose numbers follow from (pair, seed, epoch); counts the runs it trains.</summary>
sealed class FakeTrainer
{
    public List<SeededRun> Trained { get; } = [];
    public int Epochs { get; init; } = 3;
    /// <summary>Cancel this token source when this many runs have started (simulates Ctrl+C mid-run).</summary>
    public (int AfterRuns, CancellationTokenSource Source)? CancelAt { get; init; }

    public static EpochMetrics Metrics(SeededRun run, int epoch) =>
        new(epoch, 1.0 / epoch + run.Pair.P1 + run.Seed * 0.01, 0.5 + 0.01 * epoch, 0.6 + 0.01 * epoch - run.Pair.P2 * 0.1, 0.25);

    public IReadOnlyList<EpochMetrics> Train(SeededRun run, Action<EpochMetrics> onEpoch, CancellationToken ct)
    {
        Trained.Add(run);
        if (CancelAt is { } c && Trained.Count == c.AfterRuns) c.Source.Cancel();
        var epochs = new List<EpochMetrics>();
        for (int e = 1; e <= Epochs; e++)
        {
            ct.ThrowIfCancellationRequested();
            var m = Metrics(run, e);
            epochs.Add(m);
            onEpoch(m);
        }
        return epochs;
    }
}

/// <summary>A scratch folder deleted after the test.</summary>
sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("dropout-study-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
