using System.CommandLine;
using Dropout.Cli;
using Dropout.Cli.Commands;
using Dropout.Study;
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
    /// <summary>Runs the program's command tree in this process, in <paramref name="directory"/>.</summary>
    static async Task<(int Exit, string Out, string Err)> Cli(string directory, params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(NotebooksCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(StudyCommand.Create());
        root.Subcommands.Add(StudyMergeCommand.Create());
        root.Subcommands.Add(StudyWorkerCommand.Create());
        var (oldOut, oldErr, oldDir) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        Environment.CurrentDirectory = directory;
        try
        {
            int exit = await CliRunner.InvokeAsync(root, args);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = oldDir;
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <summary>Exit 2, nothing on stdout, stderr = "error: ..." + "run '... --help' for usage".</summary>
    static void AssertUsageError((int Exit, string Out, string Err) result, string command, string expected)
    {
        Assert.True(result.Exit == 2, $"exit {result.Exit}\nstdout: {result.Out}\nstderr: {result.Err}");
        var lines = result.Err.TrimEnd().Split(Environment.NewLine);
        Assert.True(lines.Length == 2, $"expected 2 lines on stderr, got:\n{result.Err}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.Equal($"run '{RootCommand.ExecutableName}{(command.Length > 0 ? " " + command : "")} --help' for usage", lines[1]);
        Assert.DoesNotContain("Description:", result.Err + result.Out);
        Assert.DoesNotContain("Usage:", result.Err + result.Out);
    }

    [Theory]
    [InlineData("train", new[] { "train", "--model", "nonsense" }, "--model: Argument 'nonsense' not recognized. Must be one of: 'concise' 'scratch'")]
    [InlineData("study", new[] { "study", "--seeds", "abc" }, "Cannot parse argument 'abc' for option '--seeds' as expected type a whole number")]
    [InlineData("study", new[] { "study", "--bogus" }, "'--bogus'")]
    [InlineData("study", new[] { "study", "--lr", "fast" }, "'fast' for option '--lr' as expected type a number")]
    [InlineData("study-merge", new[] { "study-merge", "a.csv" }, "Option '--out' is required")]
    [InlineData("bench", new[] { "bench", "--peer", "tensorflow" }, "--peer")]
    [InlineData("notebooks", new[] { "notebooks", "--cell-timeout", "soon" }, "'soon'")]
    [InlineData("", new[] { "trian" }, "'trian'")]
    [InlineData("", new string[0], "which command? one of train, notebooks, bench, study, study-merge.")]
    public async Task TheParsersOwnErrorsAreOneLineAHintAndExit2(string command, string[] args, string expected)
    {
        using var dir = new TempDir();
        AssertUsageError(await Cli(dir.Path, args), command, expected);
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
        Assert.DoesNotContain("study-worker", (await Cli(dir.Path, "--help")).Out); // the internal command stays hidden
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
    [InlineData("study", new[] { "study", "--epochs", "1000000000" }, "epochs must be between 1 and 10000; got 1000000000.")]
    [InlineData("study", new[] { "study", "--hidden", "1000000" }, "hidden must be between 1 and 8192; got 1000000.")]
    [InlineData("study", new[] { "study", "--workers", "0" }, "--workers must be at least 1; got 0.")]
    [InlineData("study", new[] { "study", "--workers", "100000" }, "--workers 100000 is more than 4 per core")]
    [InlineData("study", new[] { "study", "--threads", "100000" }, "--threads 100000 is more than 4 per core")]
    [InlineData("train", new[] { "train", "--epochs", "1000000000" }, "--epochs must be between 1 and 10,000; got 1000000000.")]
    [InlineData("bench", new[] { "bench", "--epochs", "1000000000" }, "--epochs must be at most 10,000; got 1000000000.")]
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
}
