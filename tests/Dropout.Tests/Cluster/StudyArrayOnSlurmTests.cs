using System.Diagnostics;
using Dropout.Experiments.Study;
using Dropout.Study;
using Dropout.Tests.Cli;
using Dropout.Tests.Runner;
using Xunit.Abstractions;

namespace Dropout.Tests.Cluster;

/// <summary>
/// The README's batch-system recipe run for real: the repository's job array script submitted to a private single-node
/// Slurm cluster, one array task cancelled mid-study and submitted again, the merge run as a dependent job; the merged
/// results are the numbers a local <c>study</c> of the same plan gives, bit for bit but the seconds, every run once.
/// </summary>
[Collection(SerialCollection.Name)] // the array takes both cores
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class StudyArrayOnSlurmTests(ITestOutputHelper output)
{
    /// <summary>The script a user submits, relative to the repository: the one place the tests name it.</summary>
    public const string ArrayScript = "lib/Dropout.Experiments/Study/study-array.sh";

    const int Shards = 4, Epochs = 2;

    // 4 pairs × 4 seeds = 16 runs, 4 per shard: each run a second or so on 10,000 images, so that a task can be cancelled
    // after its first run and before its last.
    static readonly string[] Plan =
        ["--pairs", "0.2:0.5,0.5:0.2,0:0,0.8:0.5", "--seeds", "4", "--epochs", "2", "--train-limit", "10000", "--test-limit", "1000"];

    static readonly StudyPlan Runs = new(DropoutPair.ParseList("0.2:0.5,0.5:0.2,0:0,0.8:0.5"), StudyPlan.SeedRange(4));

    [SlurmFact]
    public async Task TheArrayScriptOnSlurmMergesToTheLocalStudyBitForBitAndACancelledTaskResumes()
    {
        string script = Path.Combine(RunnerTestSupport.RepositoryRoot, ArrayScript);
        var clock = Stopwatch.StartNew();
        string clusterFolder;
        using (var slurm = PrivateSlurm.Start())
        {
            clusterFolder = slurm.Folder;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: cluster up ({slurm.Folder})");
            // Everything the test writes lives in the cluster's folder, which goes when the cluster does.
            string work = Directory.CreateDirectory(Path.Combine(slurm.Folder, "work")).FullName;
            string shards = Path.Combine(work, "shards");
            string shard2 = Path.Combine(shards, $"shard-2-of-{Shards}.csv");
            int shard2Runs = Runs.Shard(2, Shards).Count;

            // The README's two submissions: the array (no --shards: the array's task count), then the merge after it.
            string array = slurm.Submit(work, [$"--array=1-{Shards}", "--cpus-per-task=1", script, "--dir", shards, .. Plan]);
            string merge = slurm.Submit(work, [$"--dependency=afterok:{array}", script, "--merge", "--dir", shards]);

            // Cancel task 2 once its first run is in its file and before its last.
            slurm.WaitFor(() =>
            {
                if (!slurm.Queued($"{array}_2")) Assert.Fail($"task 2 ended before it could be cancelled mid-study\n{slurm.Logs(work)}");
                return WholeRuns(shard2) >= 1;
            }, "task 2's first finished run");
            Assert.Equal(0, slurm.Client("scancel", $"{array}_2").Exit);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: cancelled task {array}_2 with {WholeRuns(shard2)} of its {shard2Runs} runs in its file");

            slurm.WaitUntilDone(array);
            Assert.Equal("CANCELLED", slurm.State($"{array}_2"));
            foreach (int k in new[] { 1, 3, 4 }) Assert.True(slurm.State($"{array}_{k}") == "COMPLETED", $"task {k}: {slurm.State($"{array}_{k}")}\n{slurm.Logs(work)}");
            string task1 = File.ReadAllText(Path.Combine(work, $"slurm-{array}_1.out"));
            Assert.Contains($"task 1 of {Shards}", task1);
            Assert.Contains("1 worker(s) on 1 CPU(s)", task1); // --cpus-per-task became --workers
            Assert.Contains($"shard 1/{Shards} has 4; 0 already in", task1);

            // The cancelled task kept its finished runs, whole, and is not marked done; the merge waits for ever.
            var kept = StudyCsv.Read(shard2, Epochs);
            Assert.False(kept.NeedsRepair, kept.RepairNote);
            int keptRuns = kept.Rows.Select(r => r.Run).Distinct().Count();
            Assert.InRange(keptRuns, 1, shard2Runs - 1);
            Assert.False(File.Exists(Path.ChangeExtension(shard2, ".done")));
            slurm.WaitFor(() => slurm.Field(merge, "Reason") == "DependencyNeverSatisfied", "the merge to see that task 2 failed");
            Assert.Equal("PENDING", slurm.State(merge));
            Assert.Equal(0, slurm.Client("scancel", merge).Exit);
            slurm.WaitUntilDone(merge);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: array done; task 2 cancelled with {keptRuns} runs kept, merge job cancelled");

            // The README's rerun: that one task with the same arguments and the shard count; more CPUs this time.
            int cpus = Math.Min(2, Environment.ProcessorCount);
            string rerun = slurm.Submit(work, ["--array=2", $"--cpus-per-task={cpus}", script, "--dir", shards, "--shards", $"{Shards}", .. Plan]);
            string merge2 = slurm.Submit(work, [$"--dependency=afterok:{rerun}", script, "--merge", "--dir", shards]);
            slurm.WaitUntilDone(merge2);
            Assert.True(slurm.State($"{rerun}_2") == "COMPLETED", $"rerun: {slurm.State($"{rerun}_2")}\n{slurm.Logs(work)}");
            Assert.True(slurm.State(merge2) == "COMPLETED", $"merge: {slurm.State(merge2)}\n{slurm.Logs(work)}");
            string rerunLog = File.ReadAllText(Path.Combine(work, $"slurm-{rerun}_2.out"));
            Assert.Contains($"{cpus} worker(s) on {cpus} CPU(s)", rerunLog);
            Assert.Contains($"{keptRuns} already in {shard2}, {shard2Runs - keptRuns} to train", rerunLog);
            Assert.Contains($"trained {shard2Runs - keptRuns} runs", rerunLog);
            string mergeLog = File.ReadAllText(Path.Combine(work, $"slurm-{merge2}.out"));
            Assert.Contains($"merged {Runs.Runs.Count} runs ({Runs.Runs.Count * Epochs} rows", mergeLog);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: task 2 rerun ({shard2Runs - keptRuns} runs trained) and merged");

            // The same plan as one local study (two workers, no shards), while the cluster idles.
            var local = await BuiltCli.RunAsync(work, ["study", .. Plan, "--workers", "2", "--out", "local.csv"]);
            Assert.True(local.Process.ExitCode == 0, local.Error);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: local study done");

            string merged = Path.Combine(shards, "merged.csv"), reference = Path.Combine(work, "local.csv");
            Assert.Equal(File.ReadLines(reference).First(), File.ReadLines(merged).First());
            Assert.Equal(StudySettings.ReadSidecar(reference), StudySettings.ReadSidecar(merged));
            var mergedRows = WithoutSeconds(merged);
            Assert.Equal(Runs.Runs.Count * Epochs, mergedRows.Count);
            Assert.Equal(mergedRows.Count, mergedRows.Select(Key).Distinct().Count()); // every (run, epoch) exactly once
            Assert.Equal(WithoutSeconds(reference), mergedRows); // the CSV's round-trip text: bit for bit
        }
        // Nothing of the cluster outlives it: no process, no folder.
        Assert.Empty(PrivateSlurm.Leftovers(clusterFolder));
        Assert.False(Directory.Exists(clusterFolder));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: cluster stopped, nothing left");
    }

    /// <summary>Whole runs in a results file being written: its complete lines after the header, over the epochs per run.</summary>
    static int WholeRuns(string csv)
    {
        if (!File.Exists(csv)) return 0;
        string text = File.ReadAllText(csv);
        return Math.Max(0, text.Count(c => c == '\n') - 1) / Epochs;
    }

    /// <summary>The data lines with the last column (seconds) cut off, sorted.</summary>
    static List<string> WithoutSeconds(string csv) =>
        File.ReadLines(csv).Skip(1).Where(l => l.Length > 0).Select(l => l[..l.LastIndexOf(',')]).Order(StringComparer.Ordinal).ToList();

    /// <summary>model,p1,p2,seed,epoch.</summary>
    static string Key(string line) => string.Join(',', line.Split(',').Take(5));
}
