using System.Runtime.InteropServices;

namespace Dropout.Notebooks.Runner.Execution;

/// <summary>
/// The temporary folder (<c>dropout-notebooks-*</c>) a <c>notebooks</c> command hands its kernel jobs through. Its owner
/// holds an OS lock on a file in it while it lives, so an abandoned folder (owner killed) can be told from one in use: the
/// kernel process removes it when its parent is gone (<see cref="ParentWatch"/>), and each new job folder sweeps first.
/// </summary>
sealed class JobFolder : IDisposable
{
    const string Prefix = "dropout-notebooks-";
    const string OwnerFile = ".owner";

    /// <summary>A job folder without an owner file may still be under creation: a sweep spares it this long.</summary>
    static readonly TimeSpan OwnerlessGrace = TimeSpan.FromHours(1);

    readonly FileStream _owner;

    JobFolder(string path, FileStream owner)
    {
        Path = path;
        _owner = owner;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Removes abandoned job folders, then creates one owned by this process.</summary>
    public static JobFolder Create()
    {
        SweepAbandoned();
        string path = Directory.CreateTempSubdirectory(Prefix).FullName;
        var owner = new FileStream(System.IO.Path.Combine(path, OwnerFile), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        Lock(owner, wait: true);
        return new JobFolder(path, owner);
    }

    static void SweepAbandoned()
    {
        IEnumerable<string> folders;
        try
        {
            folders = Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), Prefix + "*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (string folder in folders)
        {
            try
            {
                DeleteIfAbandoned(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another user's, or being removed by someone else: leave it
            }
        }
    }

    /// <summary>Removes job folder <paramref name="folder"/> when no living process owns it; true when it is gone.</summary>
    /// <param name="patience">How long to wait for the owner's lock: a dying owner's files close one by one, so the kernel
    /// process, which learns of the death from one of them, may see the lock held a moment longer.</param>
    public static bool DeleteIfAbandoned(string folder, TimeSpan patience = default)
    {
        if (!System.IO.Path.GetFileName(folder).StartsWith(Prefix, StringComparison.Ordinal) || !Directory.Exists(folder)) return true;
        string ownerPath = System.IO.Path.Combine(folder, OwnerFile);
        if (!File.Exists(ownerPath))
        {
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) <= OwnerlessGrace) return false;
            Directory.Delete(folder, recursive: true);
            return true;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (TryDeleteUnowned(folder, ownerPath)) return true;
            if (clock.Elapsed >= patience) return false; // its owner is alive
            Thread.Sleep(50);
        }
    }

    static bool TryDeleteUnowned(string folder, string ownerPath)
    {
        FileStream owner;
        try
        {
            owner = new FileStream(ownerPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return !Directory.Exists(folder); // removed meanwhile by someone else
        }
        catch (IOException e) when (e is not DirectoryNotFoundException)
        {
            return false; // .NET's own lock check refused it: its owner holds it
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        using (owner)
        {
            if (!Lock(owner, wait: false)) return false;
            Directory.Delete(folder, recursive: true);
            return true;
        }
    }

    /// <summary>Takes flock(LOCK_EX) on <paramref name="file"/>; false when another process holds it (and <paramref name="wait"/> is false).</summary>
    static bool Lock(FileStream file, bool wait)
    {
        if (OperatingSystem.IsWindows()) return wait; // the owner's FileShare.None keeps others out; a sweep cannot tell, so it never removes
        try
        {
            return flock((int)file.SafeFileHandle.DangerousGetHandle(), LockExclusive | (wait ? 0 : LockNonBlocking)) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return wait;
        }
    }

    /// <summary>Removes the folder and releases it.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        finally
        {
            _owner.Dispose();
        }
    }

    const int LockExclusive = 2, LockNonBlocking = 4;

    [DllImport("libc", SetLastError = true)]
    static extern int flock(int fd, int operation);
}
