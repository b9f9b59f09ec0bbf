using Dropout.Tests.Experiments.Study;
using Dropout.Tests.Runner;
using Dropout.Tests.Study;

namespace Dropout.Tests.Cluster;

/// <summary>
/// The job array script's refusals, without Slurm (it reads Slurm's variables only): each mistake a user can make when
/// submitting or rerunning is one clear line on stderr and exit 2, before anything is trained.
/// </summary>
public class StudyArrayScriptTests
{
    static string Script => Path.Combine(RunnerTestSupport.RepositoryRoot, StudyArrayOnSlurmTests.ArrayScript);

    static (int Exit, string Output, string Error) Bash(string script, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        PrivateSlurm.Run("bash", [script, .. args], TimeSpan.FromSeconds(60), environment, workingDirectory, removeSlurm: true);

    /// <summary>Slurm's variables for task <paramref name="k"/> of an array of <paramref name="count"/>, one CPU.</summary>
    static Dictionary<string, string> Task(int k, int count) => new()
    {
        ["SLURM_ARRAY_TASK_ID"] = $"{k}", ["SLURM_ARRAY_TASK_COUNT"] = $"{count}", ["SLURM_CPUS_PER_TASK"] = "1",
    };

    /// <summary>A scratch folder with a shards folder d/ holding <paramref name="files"/> (name, text).</summary>
    static TempDir WithShards(params (string Name, string Text)[] files)
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.File("d"));
        foreach (var (name, text) in files) File.WriteAllText(dir.File($"d/{name}"), text);
        return dir;
    }

    static void AssertRefused((int Exit, string Output, string Error) result, string expected)
    {
        Assert.True(result.Exit == 2, $"exit {result.Exit}\n{result.Output}\n{result.Error}");
        Assert.StartsWith("study-array: error: ", result.Error);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("study:", result.Output); // nothing was started
    }

    [Fact]
    public void OutsideAnArrayTaskItSaysHowToSubmitIt()
    {
        using var dir = new TempDir();
        AssertRefused(Bash(Script, dir.Path, new Dictionary<string, string>(), "--dir", "d"),
            "not a Slurm array task (no SLURM_ARRAY_TASK_ID): submit it with sbatch --array=1-N");
    }

    [Fact]
    public void TheOptionsItSetsItselfAreRefused()
    {
        using var dir = new TempDir();
        AssertRefused(Bash(Script, dir.Path, Task(1, 2), "--dir", "d", "--workers", "3"), "--workers is set by this script");
        AssertRefused(Bash(Script, dir.Path, Task(1, 2), "--dir", "d", "--shard", "1/2"), "--shard is set by this script");
    }

    [Fact]
    public void ATaskIdOutsideTheShardsIsRefused()
    {
        using var dir = new TempDir();
        AssertRefused(Bash(Script, dir.Path, Task(0, 4), "--dir", "d"), "array task 0 is not a shard of 1..4: the array's task ids are the shard numbers (sbatch --array=1-4)");
    }

    [Fact]
    public void ARerunWithoutTheShardCountIsToldToGiveIt()
    {
        using var dir = WithShards(("shard-1-of-4.csv", ""));
        // sbatch --array=2 alone: the array's own count is 1.
        AssertRefused(Bash(Script, dir.Path, Task(2, 1), "--dir", "d"), "holds shards of a 4-way split, and this task is one of 1: to rerun a task of that study give --shards 4");
    }

    [Fact]
    public void AShardWithRunsResumesOnlyWithTheArgumentsThatMadeThem()
    {
        using var dir = WithShards(("shard-1-of-2.csv", "header\nrow\n"), ("shard-1-of-2.args", "--seeds\n5\n"));
        AssertRefused(Bash(Script, dir.Path, Task(1, 2), "--dir", "d", "--seeds", "3"), "shard-1-of-2.csv holds runs of a study with other arguments (--seeds 5)");
    }

    [Fact]
    public void TheMergeRefusesAnUnfinishedShardAndSaysHowToRerunIt()
    {
        // Shard 1 done, shard 2 begun and not finished, shard 3 never started.
        using var dir = WithShards(("shard-1-of-3.csv", ""), ("shard-1-of-3.args", "--seeds\n5\n"), ("shard-1-of-3.done", ""),
            ("shard-2-of-3.csv", ""), ("shard-2-of-3.args", "--seeds\n5\n"));
        AssertRefused(Bash(Script, dir.Path, new Dictionary<string, string>(), "--merge", "--dir", "d"),
            $"shard(s) 2 3 of 3 in {dir.File("d")} did not finish (no .done file): their task failed, was cancelled, or is still running. " +
            $"Rerun each with the same arguments, e.g. sbatch --array=2,3 --cpus-per-task=C {Script} --dir {dir.File("d")} --shards 3 --seeds 5; then merge again");
    }

    [Fact]
    public void WithoutTheBuiltCommandLineItSaysHowToBuildIt()
    {
        // A repository that has the script but no build.
        using var repo = new TempDir();
        File.WriteAllText(repo.File("Dropout.Notebooks.sln"), "");
        string script = repo.File(StudyArrayOnSlurmTests.ArrayScript);
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.Copy(Script, script);
        AssertRefused(Bash(script, repo.Path, Task(1, 2)),
            $"the command line is not built: {repo.Path}/lib/Dropout.Cli/bin/Release/net10.0/Dropout.Cli.dll is missing. Build it once, in a folder the nodes share: cd {repo.Path} && bash .ci/setup");
    }
}
