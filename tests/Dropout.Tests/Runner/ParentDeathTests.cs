using System.Runtime.InteropServices;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Tests.Cli;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>
/// A notebook's kernel process dies with the <c>notebooks</c> command that started it, however that one dies — SIGKILL,
/// which no handler sees, included — and leaves no temporary folder: it removes the job folder its parent could not,
/// and a later run removes any that were left all the same.
/// </summary>
[Collection(KernelCollection.Name)]
public class ParentDeathTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task SigkillOfTheNotebooksCommandEndsItsKernelProcessWhichRemovesTheJobFolder()
    {
        string notebook = WriteNotebook(TempDirectory(), "endless.ipynb",
            "Console.WriteLine(\"started\");", "System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);");
        var endlessCellRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cli = BuiltCli.Start(TempDirectory(), ["notebooks", notebook, "--out", TempDirectory()], onErrLine: line =>
        {
            if (line.Contains("endless.ipynb: cell 2/2 running", StringComparison.Ordinal)) endlessCellRunning.TrySetResult();
        });
        await cli.WaitOrFail(endlessCellRunning.Task, "the endless cell to start");
        int kernel = Assert.Single(BuiltCli.ChildrenOf(cli.Id));
        string jobFolder = Assert.Single(Directory.EnumerateDirectories(Path.GetTempPath(), "dropout-notebooks-*"),
            folder => File.Exists(Path.Combine(folder, "0.job.json")) && File.ReadAllText(Path.Combine(folder, "0.job.json")).Contains(notebook));

        Assert.Equal(0, kill(cli.Id, 9)); // SIGKILL: the command gets no chance to stop its kernel or remove anything
        await cli.ExitAsync();
        await cli.WaitOrFail(BuiltCli.EndOf(kernel), "the kernel process to end after its parent was killed");

        Assert.False(Directory.Exists(jobFolder), $"{jobFolder} was left behind");
    }

    [Fact]
    public void AJobFolderWhoseOwnerIsGoneIsRemovedByTheNextRunAndOneInUseIsNot()
    {
        string abandoned = Directory.CreateTempSubdirectory("dropout-notebooks-").FullName;
        File.WriteAllText(Path.Combine(abandoned, ".owner"), ""); // its owner was killed: nobody holds the lock on it
        File.WriteAllText(Path.Combine(abandoned, "0.job.json"), "{}");
        string inUse = Directory.CreateTempSubdirectory("dropout-notebooks-").FullName;
        using var owner = new FileStream(Path.Combine(inUse, ".owner"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        Assert.Equal(0, flock((int)owner.SafeFileHandle.DangerousGetHandle(), 2 | 4));
        try
        {
            using (var mine = JobFolder.Create())
            {
                Assert.False(Directory.Exists(abandoned));
                Assert.True(Directory.Exists(inUse));
                Assert.True(File.Exists(Path.Combine(mine.Path, ".owner")));
                JobFolder.DeleteIfAbandoned(mine.Path); // its owner is alive: left alone
                Assert.True(Directory.Exists(mine.Path));
            }
        }
        finally
        {
            owner.Dispose();
            Directory.Delete(inUse, recursive: true);
        }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    [DllImport("libc", SetLastError = true)]
    static extern int flock(int fd, int operation);
}
