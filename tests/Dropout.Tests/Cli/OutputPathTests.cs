using Dropout.Cli;
using Dropout.Experiments.Platform;
using Dropout.Experiments.Study;
using Dropout.Platform;
using Dropout.Study;
using Dropout.Tests.Experiments.Platform;
using Dropout.Tests.Experiments.Study;
using Dropout.Tests.Study;

namespace Dropout.Tests.Cli;

/// <summary>
/// Nothing a user names is destroyed: a device, a named pipe or a socket named as an output — or sitting where an output
/// goes (a results file's lock or settings file, a chart in a --charts folder, a notebook's page in --out) — is refused
/// up front with exit 2 and its name, before any data loads and before anything waits on it; it stays what it was, and
/// nothing is created beside it. A symbolic link is followed: its target is written, the link kept, and a results file's
/// lock and settings file are beside the target.
/// </summary>
[Collection(SerialCollection.Name)] // redirects the console, changes the current folder
public class OutputPathTests
{
    static readonly string[] TinyStudy = ["--pairs", "0.2:0.5", "--seeds", "1", "--epochs", "1", "--train-limit", "300", "--test-limit", "100", "--hidden", "16", "--workers", "1"];

    /// <summary>Where the special file goes, the command, and the path its message names.</summary>
    public static TheoryData<FileKind, string, string, string[]> Cases()
    {
        var data = new TheoryData<FileKind, string, string, string[]>();
        foreach (var kind in SpecialFiles.Kinds)
        {
            data.Add(kind, "special", "study", ["study", .. TinyStudy, "--out", "special"]);
            data.Add(kind, "special", "study", ["study", .. TinyStudy, "--out", "link"]);
            data.Add(kind, "r.csv.lock", "study", ["study", .. TinyStudy, "--out", "r.csv"]);
            data.Add(kind, "r.csv.settings.json", "study", ["study", .. TinyStudy, "--out", "r.csv"]);
            data.Add(kind, "charts/test-accuracy.html", "study", ["study", .. TinyStudy, "--out", "r.csv", "--charts", "charts"]);
            data.Add(kind, "special", "train", ["train", "--epochs", "1", "--train-limit", "300", "--test-limit", "100", "--chart", "special"]);
            data.Add(kind, "special", "train", ["train", "--epochs", "1", "--train-limit", "300", "--test-limit", "100", "--chart", "link"]);
            data.Add(kind, "special", "study-merge", ["study-merge", "a.csv", "--out", "special"]);
            data.Add(kind, "special", "study-merge", ["study-merge", "special", "--out", "m.csv"]);
            data.Add(kind, "special", "notebooks", ["notebooks", "nb.ipynb", "--out", "special"]);
            data.Add(kind, "out/nb.html", "notebooks", ["notebooks", "nb.ipynb", "--out", "out"]);
            data.Add(kind, "special", "notebooks", ["notebooks", "special"]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ASpecialFileWhereAnOutputGoesIsRefusedUpFrontAndStaysAsItWas(FileKind kind, string where, string command, string[] args)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("charts"));
        Directory.CreateDirectory(dir.File("out"));
        File.WriteAllText(dir.File("nb.ipynb"), "{}");
        WriteResults(dir.File("a.csv"));
        SpecialFiles.Make(kind, dir.File(where));
        File.CreateSymbolicLink(dir.File("link"), "special");
        var before = Listing(dir.Path);

        // The built program, in a process of its own: a pipe opened for writing would block it, not this test.
        using var cli = await BuiltCli.RunAsync(dir.Path, args);
        InProcessCli.AssertUsageError(cli, command, FileNode.Describe(kind));
        Assert.Contains(where.Split('/')[^1], cli.Error);
        Assert.DoesNotContain("TorchSharp native fix", cli.Output); // refused before torch or data

        Assert.Equal(kind, FileNode.Kind(dir.File(where), followLinks: false));
        Assert.Equal(before, Listing(dir.Path)); // nothing created beside it (no .lock, no settings file, no folder)
    }

    static List<string> Listing(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("/dev/full")]
    public void TheSystemsDevicesAreRefusedByEveryCheckBeforeAnythingOpensThem(string device)
    {
        // Only the checks run here, never a command that could write: the devices must stay untouched whatever happens.
        var identity = FileNode.Identity(device);
        using var dir = new TempDir();
        File.CreateSymbolicLink(dir.File("link"), device);
        Directory.CreateDirectory(dir.File("out"));
        File.CreateSymbolicLink(dir.File("out/nb.html"), device);

        Assert.Contains($"--out {device} is a character device, not a regular file; it is never written or replaced.",
            Assert.Throws<UserError>(() => OutputPaths.CheckFile("--out", device, "r.csv")).Message);
        Assert.Contains("is a character device", Assert.Throws<UserError>(() => OutputPaths.CheckResultsFile("--out", device, "r.csv")).Message);
        Assert.Contains($"(the symbolic link leads to {device})", Assert.Throws<UserError>(() => OutputPaths.CheckFile("--chart", dir.File("link"), "c.html")).Message);
        Assert.Contains("is a character device; give a folder", Assert.Throws<UserError>(() => OutputPaths.CheckFolder("--charts", device)).Message);
        Assert.Contains($"(the symbolic link leads to {device})", Assert.Throws<UserError>(() => OutputPaths.CheckFolder("--out", dir.File("out"), "nb.html")).Message);
        Assert.Contains("is a character device, not a results file", Assert.Throws<UserError>(() => OutputPaths.CheckResultsInput(device)).Message);
        Assert.Throws<ArgumentException>(() => StudyMerge.Run([device], dir.File("m.csv")));

        Assert.Equal(FileKind.CharacterDevice, FileNode.Kind(device, followLinks: false));
        Assert.Equal(identity, FileNode.Identity(device));
        Assert.False(File.Exists(device + ".lock"));
        Assert.False(File.Exists(device + ".settings.json"));
        Assert.False(File.Exists(dir.File("m.csv")));
    }

    [Fact]
    [Trait("Category", "RealData")]
    public async Task AStudyWritesThroughASymbolicLinkWithItsLockAndSettingsBesideTheTarget()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("shards"));
        File.CreateSymbolicLink(dir.File("results.csv"), "shards/real.csv");

        var (exit, _, error) = await InProcessCli.RunAsync(dir.Path, ["study", .. TinyStudy, "--out", "results.csv"]);
        Assert.True(exit == 0, error);
        Assert.Equal("shards/real.csv", new FileInfo(dir.File("results.csv")).LinkTarget);
        Assert.Single(StudyCsv.ReadRows(dir.File("shards/real.csv")));
        Assert.True(File.Exists(dir.File("shards/real.csv.settings.json")));
        Assert.False(File.Exists(dir.File("results.csv.settings.json")));
        Assert.False(File.Exists(dir.File("results.csv.lock")));
        Assert.False(File.Exists(dir.File("shards/real.csv.lock"))); // removed by its last holder

        // The link and its target are one results file: either name resumes it, and a merge takes it once.
        var (again, output, _) = await InProcessCli.RunAsync(dir.Path, ["study", .. TinyStudy, "--out", "shards/real.csv"]);
        Assert.Equal(0, again);
        Assert.Contains("1 already in shards/real.csv, 0 to train", output);
        InProcessCli.AssertUsageError(await InProcessCli.RunAsync(dir.Path, "study-merge", "results.csv", "shards/real.csv", "--out", "m.csv"),
            "study-merge", "a results file is given twice");
    }

    [Fact]
    [Trait("Category", "RealData")]
    public async Task TrainDrawsItsChartThroughASymbolicLinkAndKeepsTheLink()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("curves.html"), "old");
        File.CreateSymbolicLink(dir.File("latest.html"), "curves.html");
        var (exit, _, error) = await InProcessCli.RunAsync(dir.Path, "train", "--epochs", "1", "--train-limit", "300", "--test-limit", "100", "--chart", "latest.html");
        Assert.True(exit == 0, error);
        Assert.Equal("curves.html", new FileInfo(dir.File("latest.html")).LinkTarget);
        Assert.Contains("<html", File.ReadAllText(dir.File("curves.html")));
    }

    [Fact]
    public async Task ARefusedResultsFileBehindALinkLeavesNoLockFileBehind()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("other"));
        WriteResults(dir.File("other/real.csv")); // made with other settings than the command's
        File.CreateSymbolicLink(dir.File("r.csv"), "other/real.csv");
        var before = Listing(dir.Path);

        var result = await InProcessCli.RunAsync(dir.Path, ["study", .. TinyStudy, "--out", "r.csv"]);
        InProcessCli.AssertUsageError(result, "study", "r.csv was made with other settings");
        Assert.Equal(before, Listing(dir.Path));
    }

    /// <summary>A small finished results file (one run of one epoch) with its settings file.</summary>
    static void WriteResults(string path)
    {
        using var file = StudyResultsFile.Open(path, new StudySettings("concise", 16, 1, 0.5, 64, 300, 200));
        file.AppendRun([new StudyRow("concise", 0.2, 0.5, 0, 1, 2.0, 0.3, 0.3, 0.1)]);
    }
}
