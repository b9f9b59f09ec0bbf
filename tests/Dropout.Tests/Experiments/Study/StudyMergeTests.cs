using Dropout.Experiments.Study;
using Dropout.Study;

namespace Dropout.Tests.Experiments.Study;

public class StudyMergeTests
{
    static readonly StudySettings Settings = new("concise", 16, 2, 0.5, 64, 300, 100);
    static readonly StudyPlan Plan = new([new(0.8, 0.5), new(0.2, 0.5), new(0.3, 0.3)], [0, 1, 2]);

    static void RunShard(string path, int k, int n, StudySettings? settings = null)
    {
        using var file = StudyResultsFile.Open(path, settings ?? Settings);
        StudyRunner.Run(Plan, Plan.Shard(k, n), file, new FakeTrainer { Epochs = 2 }.Train);
    }

    [Fact]
    public void ShardsMergeIntoWhatOneRunWouldWriteInDisplayOrder()
    {
        using var dir = new TempDir();
        var shards = Enumerable.Range(1, 4).Select(k => dir.File($"shard-{k}.csv")).ToList();
        for (int k = 1; k <= 4; k++) RunShard(shards[k - 1], k, 4);
        string merged = dir.File("merged.csv");
        var result = StudyMerge.Run([.. shards.AsEnumerable().Reverse()], merged);
        Assert.Equal(9, result.RunCount);
        Assert.Equal(Settings, StudySettings.ReadSidecar(merged));

        string single = dir.File("single.csv");
        RunShard(single, 1, 1);
        var expected = StudyPlan.InDisplayOrder(StudyCsv.ReadRows(single), r => r.Run.Pair).ThenBy(r => r.Seed).ThenBy(r => r.Epoch);
        Assert.Equal(expected, StudyCsv.ReadRows(merged));
        // The source's (0.2, 0.5) comes before its (0.8, 0.5); (0.3, 0.3) is not a source pair and comes last.
        Assert.Equal([new(0.2, 0.5), new(0.8, 0.5), new(0.3, 0.3)], StudyCsv.ReadRows(merged).Select(r => r.Run.Pair).Distinct());
    }

    [Fact]
    public void FilesOfOtherSettingsAreRefused()
    {
        using var dir = new TempDir();
        RunShard(dir.File("a.csv"), 1, 2);
        RunShard(dir.File("b.csv"), 2, 2, Settings with { Lr = 0.1 });
        var e = Assert.Throws<StudySettingsMismatchException>(() => StudyMerge.Run([dir.File("a.csv"), dir.File("b.csv")], dir.File("m.csv")));
        Assert.Contains("lr is 0.5 in", e.Message);
        Assert.Contains("but 0.1 in", e.Message);
        Assert.False(File.Exists(dir.File("m.csv")));
    }

    [Fact]
    public void ARunInTwoFilesIsRefused()
    {
        using var dir = new TempDir();
        RunShard(dir.File("a.csv"), 1, 2);
        RunShard(dir.File("b.csv"), 1, 1);
        var e = Assert.Throws<InvalidDataException>(() => StudyMerge.Run([dir.File("a.csv"), dir.File("b.csv")], dir.File("m.csv")));
        Assert.Contains("seed 0 is in both", e.Message);
        Assert.False(File.Exists(dir.File("m.csv")));
    }

    [Fact]
    public void AnExistingOutputOrARepeatedInputIsRefused()
    {
        using var dir = new TempDir();
        RunShard(dir.File("a.csv"), 1, 2);
        File.WriteAllText(dir.File("m.csv"), "keep me");
        Assert.Contains("already exists", Assert.Throws<IOException>(() => StudyMerge.Run([dir.File("a.csv")], dir.File("m.csv"))).Message);
        Assert.Equal("keep me", File.ReadAllText(dir.File("m.csv")));
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => StudyMerge.Run([dir.File("a.csv"), dir.File("a.csv")], dir.File("n.csv"))).Message);
        Assert.Contains("one of the inputs", Assert.Throws<ArgumentException>(() => StudyMerge.Run([dir.File("a.csv")], dir.File("a.csv"))).Message);
    }
}
