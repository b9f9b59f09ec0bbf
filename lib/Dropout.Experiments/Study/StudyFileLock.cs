using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Dropout.Experiments.Platform;
using Dropout.Platform;

namespace Dropout.Experiments.Study;

/// <summary>
/// The right to write one results file: an exclusive operating-system lock on <c>&lt;csv&gt;.lock</c> beside it, held
/// until disposed. Every writer (a study appending runs, a repair, <c>study-merge</c>'s output) holds it, so a second
/// process waits its turn or is refused with <see cref="StudyFileBusyException"/>; nothing is lost, repeated or torn.
/// Readers that must not see a file mid-write (<c>study-merge</c>'s inputs) take it shared.
/// <para>
/// On Linux and macOS it is <c>flock(LOCK_EX)</c>: .NET takes it for <see cref="FileShare.None"/>, and this class again
/// so that it holds with .NET's locking switched off. The kernel drops it however the process ends: no lock goes stale.
/// While held, the lock file names its holder (process id, command line, start time). The last holder deletes it (and
/// the folders it created, if empty), so nothing stays beside a file never written; after a crash it stays until the
/// next holder releases it. Deleting is safe because a taker checks, once locked, that the path still names the file it
/// locked, and retries if not; where that cannot be checked (not Linux) the lock file stays, emptied.
/// </para>
/// </summary>
internal sealed class StudyFileLock : IDisposable
{
    /// <summary>What is appended to a results file's path to name its lock file.</summary>
    public const string Suffix = ".lock";

    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    readonly FileStream _stream;
    readonly string _lockPath;
    readonly IReadOnlyList<string> _createdFolders;

    StudyFileLock(string path, string lockPath, FileStream stream, bool shared, IReadOnlyList<string> createdFolders)
    {
        FilePath = path;
        _lockPath = lockPath;
        _stream = stream;
        IsShared = shared;
        _createdFolders = createdFolders;
    }

    /// <summary>True for a reader's lock (<see cref="AcquireForReading"/>): other readers may hold it too, no writer can.</summary>
    public bool IsShared { get; }

    /// <summary>The results file this lock guards, as given when it was taken.</summary>
    public string FilePath { get; }

    /// <summary>True until <see cref="Dispose"/>.</summary>
    public bool IsHeld { get; private set; } = true;

    /// <summary>The lock file, beside where a write to <paramref name="csvPath"/> lands: a link and its target share it.</summary>
    public static string LockPath(string csvPath) => FileNode.FinalPath(csvPath) + Suffix;

    /// <summary>Takes the lock of <paramref name="csvPath"/>, creating its folder and lock file when missing.</summary>
    /// <param name="wait">How long to wait while another process holds it: null (or zero) refuses at once,
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits until it is free.</param>
    /// <param name="report">Told once when this call starts waiting, naming the holder.</param>
    /// <param name="busyAdvice">What the refusal message tells the user to do (<see cref="StudyFileBusyException.DefaultAdvice"/> when null).</param>
    /// <exception cref="StudyFileBusyException">Another process holds the lock (and did not release it within <paramref name="wait"/>).</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    public static StudyFileLock Acquire(string csvPath, TimeSpan? wait = null, Action<string>? report = null, CancellationToken cancellationToken = default,
        string? busyAdvice = null) =>
        Acquire(csvPath, shared: false, wait, report, cancellationToken, busyAdvice);

    /// <summary>Takes the lock shared (<c>LOCK_SH</c>): readers together, never with a writer, so none sees a half-done write.</summary>
    /// <inheritdoc cref="Acquire(string, TimeSpan?, Action{string}?, CancellationToken, string?)"/>
    public static StudyFileLock AcquireForReading(string csvPath, TimeSpan? wait = null, Action<string>? report = null, CancellationToken cancellationToken = default,
        string? busyAdvice = null) =>
        Acquire(csvPath, shared: true, wait, report, cancellationToken, busyAdvice);

    static StudyFileLock Acquire(string csvPath, bool shared, TimeSpan? wait, Action<string>? report, CancellationToken cancellationToken, string? busyAdvice)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(csvPath);
        string lockPath = Path.GetFullPath(LockPath(csvPath));
        var kind = FileNode.Kind(lockPath);
        if (kind is not (FileKind.Missing or FileKind.Regular))
            throw new IOException($"{csvPath}: its lock file {lockPath} is {FileNode.Describe(kind)}, not a regular file; remove it, or choose another results file.");
        var clock = Stopwatch.StartNew();
        bool reported = false;
        var created = new List<string>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            created.InsertRange(0, CreateFolders(Path.GetDirectoryName(lockPath)!));
            FileStream? stream;
            try
            {
                stream = TryLock(lockPath, shared);
            }
            catch (DirectoryNotFoundException)
            {
                continue; // the folder was removed by the last holder of another lock in it, between our creating and our opening
            }
            if (stream is not null)
            {
                if (!NamesLockedFile(lockPath, stream))
                {
                    // The lock file was removed (or replaced) by its last holder between our open and our lock: try again.
                    stream.Dispose();
                    continue;
                }
                var held = new StudyFileLock(csvPath, lockPath, stream, shared, created);
                if (!shared) held.WriteHolder();
                return held;
            }
            string holder = ReadHolder(lockPath);
            bool waitForever = wait == Timeout.InfiniteTimeSpan;
            if (!waitForever && (wait is null || clock.Elapsed >= wait.Value))
                throw new StudyFileBusyException(csvPath, holder, waited: wait is { } w && w > TimeSpan.Zero, busyAdvice);
            if (!reported)
            {
                report?.Invoke($"waiting for {csvPath}: it is in use by {holder}.");
                reported = true;
            }
            cancellationToken.WaitHandle.WaitOne(PollInterval);
        }
    }

    /// <summary>Creates <paramref name="folder"/> and the parents it lacks; returns those it created, deepest first.</summary>
    static IReadOnlyList<string> CreateFolders(string folder)
    {
        var missing = new List<string>();
        for (string? part = folder; !string.IsNullOrEmpty(part) && !Directory.Exists(part); part = Path.GetDirectoryName(part))
            missing.Add(part);
        if (missing.Count > 0) Directory.CreateDirectory(folder);
        return missing;
    }

    /// <summary>True when <paramref name="lockPath"/> still names the file <paramref name="stream"/> has open (or when that cannot be told).</summary>
    static bool NamesLockedFile(string lockPath, FileStream stream)
    {
        var mine = FileNode.Identity(stream.SafeFileHandle);
        return mine is null || FileNode.Identity(lockPath) == mine;
    }

    /// <summary>Opens and locks the lock file, or returns null when another open file description holds the lock.</summary>
    static FileStream? TryLock(string lockPath, bool shared)
    {
        FileStream stream;
        try
        {
            // FileShare.None makes .NET take flock(LOCK_EX), FileShare.Read with read access flock(LOCK_SH).
            stream = shared
                ? new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.Read)
                : new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsLockConflict(e))
        {
            return null;
        }
        if (!OperatingSystem.IsWindows())
        {
            // .NET already took the flock unless its file locking is switched off
            // (DOTNET_SYSTEM_IO_DISABLEFILELOCKING); taking it again on the same descriptor is a no-op otherwise.
            bool locked;
            try
            {
                locked = flock((int)stream.SafeFileHandle.DangerousGetHandle(), (shared ? LockShared : LockExclusive) | LockNonBlocking) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                locked = true; // no C library to ask: .NET's lock is the only one
            }
            if (!locked)
            {
                stream.Dispose();
                return null;
            }
        }
        return stream;
    }

    /// <summary>The lock is held elsewhere: EWOULDBLOCK on Unix, a sharing or lock violation on Windows.</summary>
    static bool IsLockConflict(IOException e) =>
        e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        && (e.HResult is 11 or 35 // EWOULDBLOCK (EAGAIN): Linux 11, macOS 35
            || (e.HResult & 0xFFFF) is 32 or 33); // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION

    void WriteHolder()
    {
        string command = string.Join(" ", Environment.GetCommandLineArgs());
        if (command.Length > 300) command = command[..297] + "...";
        string text = string.Create(CultureInfo.InvariantCulture,
            $"process {Environment.ProcessId} ({command}), since {DateTime.Now:yyyy-MM-dd HH:mm:ss}\n");
        _stream.SetLength(0);
        _stream.Write(Encoding.UTF8.GetBytes(text));
        _stream.Flush();
    }

    /// <summary>Who holds the lock, as its holder wrote it; "another process" when that cannot be read (readers write nothing).</summary>
    internal static string ReadHolder(string lockPath)
    {
        const string unknown = "another process";
        if (OperatingSystem.IsWindows()) return unknown; // the holder's share mode keeps others from reading it
        try
        {
            // A .NET FileStream would ask for flock(LOCK_SH) and fail while the holder has LOCK_EX: read with plain open(2).
            int fd = open(lockPath, 0 /* O_RDONLY */);
            if (fd < 0) return unknown;
            try
            {
                var buffer = new byte[1024];
                nint n = read(fd, buffer, buffer.Length);
                string text = n > 0 ? Encoding.UTF8.GetString(buffer, 0, (int)n).Trim() : "";
                return text.Length > 0 ? text : unknown;
            }
            finally
            {
                _ = close(fd);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return unknown;
        }
    }

    /// <summary>Releases the lock, once; the last holder deletes the lock file and the folders it created, if empty.</summary>
    public void Dispose()
    {
        if (!IsHeld) return;
        IsHeld = false;
        bool removed = false;
        try
        {
            // A reader removes the file only when no one else holds it: it must get the lock exclusively, at once.
            bool alone = !IsShared || TryLockExclusivelyNow();
            if (alone && FileNode.Identity(_stream.SafeFileHandle) is { } mine && FileNode.Identity(_lockPath) == mine)
            {
                File.Delete(_lockPath);
                removed = true;
            }
            else if (!IsShared) _stream.SetLength(0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the holder's name may stay behind; harmless, only the lock matters
        }
        _stream.Dispose();
        if (!removed) return;
        foreach (string folder in _createdFolders)
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any()) return;
                Directory.Delete(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // someone else is using it
            }
        }
    }

    bool TryLockExclusivelyNow()
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            return flock((int)_stream.SafeFileHandle.DangerousGetHandle(), LockExclusive | LockNonBlocking) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    const int LockShared = 1, LockExclusive = 2, LockNonBlocking = 4;

    [DllImport("libc", SetLastError = true)]
    static extern int flock(int fd, int operation);

    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc")]
    static extern int close(int fd);
}
