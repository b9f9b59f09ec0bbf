using Dropout.Experiments.Study;
using Dropout.Study;
using Dropout.Tests.Experiments.Study;
using Dropout.Tests.Study;

namespace Dropout.Tests.Cli;

/// <summary>
/// The CLI's error contract, for every command: a usage error — the parser's own or a command's — is exactly one
/// <c>error: ...</c> line and one hint line on stderr, exit 2, never the help text; bad output paths and absurd sizes
/// are refused before any data is loaded, named as the user wrote them, and nothing is written.
/// </summary>
[Collection(SerialCollection.Name)] // redirects the console
public class ErrorContractTests
{
    static Task<(int Exit, string Out, string Err)> Cli(string directory, params string[] args) => InProcessCli.RunAsync(directory, args);

    static void AssertUsageError((int Exit, string Out, string Err) result, string command, string expected) =>
        InProcessCli.AssertUsageError(result, command, expected);

    [Theory]
    [InlineData("train", new[] { "train", "--model", "nonsense" }, "--model: Argument 'nonsense' not recognized. Must be one of: 'concise' 'scratch'")]
    [InlineData("study", new[] { "study", "--seeds", "abc" }, "Cannot parse argument 'abc' for option '--seeds' as expected type a whole number")]
    [InlineData("study", new[] { "study", "--bogus" }, "'--bogus'")]
    [InlineData("study", new[] { "study", "--lr", "fast" }, "'fast' for option '--lr' as expected type a number")]
    [InlineData("study-merge", new[] { "study-merge", "a.csv" }, "Option '--out' is required")]
    [InlineData("bench", new[] { "bench", "--peer", "tensorflow" }, "--peer")]
    [InlineData("notebooks", new[] { "notebooks", "--cell-timeout", "soon" }, "'soon'")]
    [InlineData("", new[] { "trian" }, "unknown command 'trian'; choose one of train, notebooks, bench, study, study-merge.")]
    [InlineData("", new string[0], "which command? one of train, notebooks, bench, study, study-merge.")]
    public async Task TheParsersOwnErrorsAreOneLineAHintAndExit2(string command, string[] args, string expected)
    {
        using var dir = new TempDir();
        var result = await Cli(dir.Path, args);
        AssertUsageError(result, command, expected);
        Assert.DoesNotContain(".;", result.Err); // messages are joined as one sentence
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task HelpIsStillHelp()
    {
        using var dir = new TempDir();
        var (exit, output, error) = await Cli(dir.Path, "study", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--workers", output);
        Assert.Contains("--wait", output);
        Assert.Equal("", error);
    }

    public static TheoryData<string, string[], string> BadOutputs()
    {
        string unwritable = UnwritableFolder();
        return new()
        {
            { "study", ["study", "--out", ""], "--out is empty; give a file path, e.g. --out artifacts/study/results.csv." },
            { "study", ["study", "--out", "existing-folder"], "--out existing-folder is a folder; give a file path, e.g. --out existing-folder/results.csv." },
            { "study", ["study", "--out", "a-file/results.csv"], "--out a-file/results.csv: a-file is a file, so it cannot hold the file." },
            { "study", ["study", "--out", "a-file/deeper/results.csv"], "--out a-file/deeper/results.csv: a-file is a file, so it cannot hold a folder." },
            { "study", ["study", "--out", $"{unwritable}/sub/results.csv"], $"--out {unwritable}/sub/results.csv: cannot write in {unwritable} (permission denied)." },
            { "study", ["study", "--out", "r.csv", "--charts", "a-file"], "--charts a-file is a file; give a folder (it is created if missing)." },
            { "study", ["study", "--out", "r.csv", "--charts", "a-file/charts"], "--charts a-file/charts: a-file is a file, so it cannot hold a folder." },
            { "study", ["study", "--out", "r.csv", "--charts", $"{unwritable}/charts"], $"--charts {unwritable}/charts: cannot write in {unwritable} (permission denied)." },
            { "study-merge", ["study-merge", "a-file", "--out", "existing-folder"], "--out existing-folder is a folder" },
            { "study-merge", ["study-merge", "a-file", "--out", "m.csv", "--charts", "a-file"], "--charts a-file is a file" },
            { "train", ["train", "--chart", "existing-folder"], "--chart existing-folder is a folder; give a file path, e.g. --chart existing-folder/train.html." },
            { "train", ["train", "--chart", "a-file/curves.html"], "--chart a-file/curves.html: a-file is a file, so it cannot hold the file." },
            { "train", ["train", "--chart", ""], "--chart is empty" },
            // A path ending in a separator names a folder: refused before anything, so no folder of that name is made.
            { "study", ["study", "--out", "newdir/"], "--out newdir/ ends with '/', so it names a folder; give a file path, e.g. --out newdir/results.csv." },
            { "study", ["study", "--out", "newdir/r.csv/"], "--out newdir/r.csv/ ends with '/'" },
            { "study-merge", ["study-merge", "a-file", "--out", "newdir/"], "--out newdir/ ends with '/'" },
            { "train", ["train", "--chart", "newdir/"], "--chart newdir/ ends with '/', so it names a folder; give a file path, e.g. --chart newdir/train.html." },
            // notebooks --out is checked up front like every other output path (a-file stands for the notebook: only its kind is looked at first).
            { "notebooks", ["notebooks", "a-file", "--out", ""], "--out is empty; give a folder" },
            { "notebooks", ["notebooks", "a-file", "--out", "a-file"], "--out a-file is a file; give a folder (it is created if missing)." },
            { "notebooks", ["notebooks", "a-file", "--out", "a-file/out"], "--out a-file/out: a-file is a file, so it cannot hold a folder." },
            { "notebooks", ["notebooks", "a-file", "--out", $"{unwritable}/out"], $"--out {unwritable}/out: cannot write in {unwritable} (permission denied)." },
        };
    }

    /// <summary>A folder this process cannot create files in: /sys for root (the kernel refuses), else a folder made read-only.</summary>
    static string UnwritableFolder()
    {
        if (Environment.UserName == "root" || OperatingSystem.IsWindows()) return "/sys";
        string folder = Directory.CreateTempSubdirectory("dropout-readonly-").FullName;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return folder;
    }

    [Theory]
    [MemberData(nameof(BadOutputs))]
    public async Task BadOutputPathsAreRefusedBeforeAnyWorkNamedAsWrittenAndNothingIsWritten(string command, string[] args, string expected)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("existing-folder"));
        File.WriteAllText(dir.File("a-file"), "x");
        var before = Directory.EnumerateFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order().ToList();

        var result = await Cli(dir.Path, args);
        AssertUsageError(result, command, expected);
        Assert.DoesNotContain("TorchSharp native fix", result.Out); // refused before torch, data or training
        Assert.DoesNotContain(".tmp", result.Err);
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order().ToList());
    }

    [Theory]
    [InlineData("study", new[] { "study", "--seeds", "100000000" }, "--seeds must be at most 10,000; got 100,000,000.")]
    [InlineData("study", new[] { "study", "--pairs", "0.15:0.15,0.2:0.2", "--seeds", "9000", "--grid", "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9" }, "101 pairs × 9,000 seeds = 909,000 runs; a study takes at most 100,000")]
    [InlineData("study", new[] { "study", "--epochs", "1000000000" }, "--epochs must be between 1 and 10,000; got 1000000000.")]
    [InlineData("study", new[] { "study", "--hidden", "1000000" }, "--hidden must be between 1 and 8,192; got 1000000.")]
    [InlineData("study", new[] { "study", "--workers", "0" }, "--workers must be at least 1; got 0.")]
    [InlineData("study", new[] { "study", "--workers", "100000" }, "--workers 100000 is more than 4 per core")]
    [InlineData("study", new[] { "study", "--threads", "100000" }, "--threads 100000 is more than 4 per core")]
    [InlineData("train", new[] { "train", "--epochs", "1000000000" }, "--epochs must be between 1 and 10,000; got 1000000000.")]
    [InlineData("bench", new[] { "bench", "--epochs", "1000000000" }, "--epochs must be at most 10,000; got 1000000000.")]
    [InlineData("bench", new[] { "bench", "--ceiling-steps", "1000000000" }, "--ceiling-steps must be between 1 and 10,000 (an epoch is 235 steps); got 1000000000.")]
    [InlineData("train", new[] { "train", "--lr", "1e308" }, "--lr must be a positive number that float32 can hold (1E-45 to 3.4028235E+38); got 1E+308.")]
    [InlineData("study", new[] { "study", "--lr", "1e308" }, "--lr must be a positive number that float32 can hold (1E-45 to 3.4028235E+38); got 1E+308.")]
    [InlineData("train", new[] { "train", "--lr", "1e-50" }, "--lr must be a positive number that float32 can hold")]
    public async Task AbsurdSizesAreRefusedWithAMessageBeforeAnythingIsAllocated(string command, string[] args, string expected)
    {
        using var dir = new TempDir();
        var before = GC.GetTotalAllocatedBytes();
        AssertUsageError(await Cli(dir.Path, [.. args, .. args[0] == "study" ? new[] { "--out", "r.csv" } : []]), command, expected);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 256L << 20, "more than 256 MiB allocated before the refusal");
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task AHugeGridIsRefusedWithAMessage()
    {
        using var dir = new TempDir();
        string grid = string.Join(",", Enumerable.Range(0, 1001).Select(i => (i / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        AssertUsageError(await Cli(dir.Path, "study", "--grid", grid, "--out", "r.csv"), "study",
            "--grid: a grid of 1,001 probabilities makes 1,002,001 pairs; at most 10,000 (100 probabilities) are allowed.");
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task AResultsRowWithAnImpossibleProbabilityIsRefusedNamingTheFileAndLine()
    {
        using var dir = new TempDir();
        var settings = new StudySettings("concise", 16, 1, 0.5, 64, 300, 100);
        settings.WriteSidecar(dir.File("r.csv"));
        File.WriteAllText(dir.File("r.csv"), StudyRow.CsvHeader + "\nconcise,0.2,0.5,0,1,2.3,0.1,0.1,0.5\nconcise,NaN,0.5,0,1,2.3,0.1,0.1,0.5\n");
        string before = File.ReadAllText(dir.File("r.csv"));
        var result = await Cli(dir.Path, "study", "--pairs", "0.2:0.5", "--seeds", "1", "--epochs", "1", "--train-limit", "300", "--test-limit", "100",
            "--hidden", "16", "--batch-size", "64", "--out", "r.csv");
        AssertUsageError(result, "study", "r.csv line 3: p1 'NaN' is not between 0 and 1.");
        Assert.Equal(before, File.ReadAllText(dir.File("r.csv")));
    }

    [Fact]
    public async Task AStudyRefusesAResultsFileAnotherWriterHoldsNamingIt()
    {
        using var dir = new TempDir();
        using (StudyFileLock.Acquire(dir.File("r.csv")))
        {
            var result = await Cli(dir.Path, "study", "--pairs", "0.2:0.5", "--seeds", "1", "--epochs", "1", "--train-limit", "300", "--out", "r.csv");
            AssertUsageError(result, "study", $"r.csv is in use by process {Environment.ProcessId} (");
            Assert.False(File.Exists(dir.File("r.csv")));
        }
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("1e-9")]
    [InlineData("604801")]
    public async Task ACellTimeoutATimerCannotHoldIsRefusedBeforeAKernelStarts(string seconds)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("nb.ipynb"), "not even read");
        var result = await Cli(dir.Path, "notebooks", "nb.ipynb", "--cell-timeout", seconds, "--out", "out");
        AssertUsageError(result, "notebooks", "--cell-timeout must be between 0.001 and 604,800 seconds (a week); got ");
        Assert.False(Directory.Exists(dir.File("out")));
    }

    public static TheoryData<string, string[], string> Messages() => new()
    {
        { "study-merge", ["study-merge", "existing-folder", "--out", "m.csv"], "existing-folder is a folder; give the results files in it (e.g. existing-folder/*.csv)." },
        { "notebooks", ["notebooks", "existing-folder"], "existing-folder is a folder; give the notebooks in it (e.g. existing-folder/*.ipynb), or no path for the repository's notebooks." },
        { "study", ["study", "--epochs", "0", "--out", "r.csv"], "--epochs must be between 1 and 10,000; got 0." },
        { "study", ["study", "--hidden", "0", "--out", "r.csv"], "--hidden must be between 1 and 8,192; got 0." },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task MessagesNameWhatIsWrongTheWayTheUserWroteIt(string command, string[] args, string expected)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("existing-folder"));
        AssertUsageError(await Cli(dir.Path, args), command, expected);
        Assert.Equal([dir.File("existing-folder")], Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData(".lock", "lock file")]
    [InlineData(".settings.json", "settings file")]
    public async Task ALockOrSettingsPathThatIsAFolderIsAUsageError(string suffix, string what)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("r.csv" + suffix));
        var result = await Cli(dir.Path, "study", "--pairs", "0.2:0.5", "--seeds", "1", "--epochs", "1", "--out", "r.csv");
        AssertUsageError(result, "study", $"--out r.csv: its {what} r.csv{suffix} is a folder, not a regular file; remove it, or give another --out.");
        Assert.Equal([dir.File("r.csv" + suffix)], Directory.EnumerateFileSystemEntries(dir.Path));

        // The same beside a merge's input or output.
        WriteResults(dir.File("a.csv"));
        AssertUsageError(await Cli(dir.Path, "study-merge", "a.csv", "--out", "r.csv"), "study-merge", $"its {what} r.csv{suffix} is a folder");
        if (suffix == ".lock")
        {
            Directory.Move(dir.File("r.csv.lock"), dir.File("a.csv.lock"));
            AssertUsageError(await Cli(dir.Path, "study-merge", "a.csv", "--out", "m.csv"), "study-merge", "a.csv: its lock file a.csv.lock is a folder");
        }
        Assert.False(File.Exists(dir.File("m.csv")));
    }

    [Fact]
    public async Task ASettingsFileLackingASettingNamesIt()
    {
        using var dir = new TempDir();
        WriteResults(dir.File("r.csv"));
        File.WriteAllText(dir.File("r.csv.settings.json"), """{ "model": "concise", "hidden": 16, "num_epochs": 1, "batch_size": 64, "train_limit": 300, "test_limit": 100 }""");
        var result = await Cli(dir.Path, "study", "--pairs", "0.2:0.5", "--seeds", "1", "--epochs", "1", "--hidden", "16", "--batch-size", "64",
            "--train-limit", "300", "--test-limit", "100", "--out", "r.csv");
        AssertUsageError(result, "study", "r.csv.settings.json is not a study settings file (it lacks 'lr').");
        Assert.DoesNotContain("got 0", result.Err);
    }

    [Theory]
    [Trait("Category", "RealData")]
    [InlineData("1")]
    [InlineData("2")]
    public async Task AStudyWhoseDataCannotBeReadLeavesNothingBehind(string workers)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("no-data"));
        var result = await Cli(dir.Path, "study", "--pairs", "0.2:0.5,0.5:0.2", "--seeds", "1", "--epochs", "1", "--workers", workers,
            "--data", "no-data", "--out", "results/r.csv");
        Assert.True(result.Exit == 2, $"exit {result.Exit}\n{result.Out}\n{result.Err}");
        Assert.Contains("no-data", result.Err);
        // No header-only CSV, no settings file (which would refuse the corrected command), no lock file, no folder made for them.
        Assert.Equal([dir.File("no-data")], Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    [Trait("Category", "RealData")]
    public async Task TrainEndsWithTheDivergenceErrorWhenItsLossRoseAboveTheFirstEpochs()
    {
        using var dir = new TempDir();
        // lr 10 from seed 1 on a small subset: the loss goes from about 2.4 to about 1.5e8 at epoch 2, finite (no NaN).
        var result = await Cli(dir.Path, "train", "--lr", "10", "--epochs", "2", "--seed", "1", "--train-limit", "1000", "--test-limit", "100", "--chart", "c.html");
        Assert.True(result.Exit == 2, $"exit {result.Exit}\n{result.Out}\n{result.Err}");
        Assert.Matches(@"^error: training diverged at epoch 2: train loss \S+ is above epoch 1's \S+; by the project's rule, a run diverged when", result.Err);
        Assert.Contains("Lower the learning rate or check the data.", result.Err);
        Assert.Contains("epoch  2/2", result.Out); // its epochs were printed, and drawn
        Assert.True(File.Exists(dir.File("c.html")));
    }

    /// <summary>A small finished results file (one run of one epoch) with its settings file.</summary>
    static void WriteResults(string path)
    {
        var settings = new StudySettings("concise", 16, 1, 0.5, 64, 300, 100);
        using var file = StudyResultsFile.Open(path, settings);
        file.AppendRun([new StudyRow("concise", 0.2, 0.5, 0, 1, 2.0, 0.3, 0.3, 0.1)]);
    }
}
