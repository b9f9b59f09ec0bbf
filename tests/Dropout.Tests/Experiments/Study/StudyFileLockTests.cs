using Dropout.Experiments.Study;
using Dropout.Study;

namespace Dropout.Tests.Experiments.Study;

public class StudyFileLockTests
{
    [Fact]
    public void ASecondHolderIsRefusedAtOnceNamingTheFileAndTheHolder()
    {
        using var dir = new TempDir();
        string csv = dir.File("sub/results.csv");
        using (var held = StudyFileLock.Acquire(csv))
        {
            Assert.True(held.IsHeld);
            Assert.True(File.Exists(csv + ".lock")); // its folder was created for it
            string holder = File.Exists(csv + ".lock") ? StudyFileLock.ReadHolder(csv + ".lock") : "";
            Assert.StartsWith($"process {Environment.ProcessId} (", holder);
            var e = Assert.Throws<StudyFileBusyException>(() => StudyFileLock.Acquire(csv));
            Assert.Equal(csv, e.FilePath);
            Assert.Equal(holder, e.Holder);
            Assert.StartsWith($"{csv} is in use by {holder}. One process at a time writes a results file: ", e.Message);
        }
        // Released: its holder removed the lock file and the folder it had made for it (nothing else is in it); the next
        // holder makes them again.
        Assert.False(File.Exists(csv + ".lock"));
        Assert.False(Directory.Exists(dir.File("sub")));
        using var next = StudyFileLock.Acquire(csv);
        Assert.True(next.IsHeld);
    }

    [Fact]
    public async Task AWaiterTakesItsTurnWhenTheHolderReleasesAndSaysItWaited()
    {
        using var dir = new TempDir();
        string csv = dir.File("results.csv");
        var held = StudyFileLock.Acquire(csv);
        var reports = new List<string>();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = Task.Run(() => StudyFileLock.Acquire(csv, Timeout.InfiniteTimeSpan, report =>
        {
            lock (reports) reports.Add(report);
            waiting.TrySetResult();
        }));
        await waiting.Task.WaitAsync(TimeSpan.FromMinutes(5)); // the waiter has found the lock held and said so
        Assert.False(waiter.IsCompleted);
        held.Dispose();
        using var mine = await waiter.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(mine.IsHeld);
        Assert.Equal($"waiting for {csv}: it is in use by process {Environment.ProcessId} (", Assert.Single(reports)[..($"waiting for {csv}: it is in use by process {Environment.ProcessId} (".Length)]);
    }

    [Fact]
    public void WaitingEndsWithTheTimeOrTheToken()
    {
        using var dir = new TempDir();
        string csv = dir.File("results.csv");
        using var held = StudyFileLock.Acquire(csv);
        var e = Assert.Throws<StudyFileBusyException>(() => StudyFileLock.Acquire(csv, TimeSpan.FromMilliseconds(300)));
        Assert.Contains("and was not released in time", e.Message);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.ThrowsAny<OperationCanceledException>(() => StudyFileLock.Acquire(csv, Timeout.InfiniteTimeSpan, cancellationToken: cancel.Token));
    }
}
