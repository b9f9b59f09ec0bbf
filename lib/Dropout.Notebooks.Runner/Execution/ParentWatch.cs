using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dropout.Notebooks.Runner.Execution;

/// <summary>
/// Ends a kernel process when its parent (the <c>notebooks</c> command) is gone, SIGKILL included: the OS closes the
/// parent's end of the stdin pipe (<see cref="KernelProcess"/>), and on end of input the kernel process removes the job
/// folder, lets an output file being written finish, and ends itself and whatever its cells started.
/// </summary>
public static class ParentWatch
{
    /// <summary>Set (to "1") in a kernel process's environment by <see cref="KernelProcess"/>: its standard input is the parent's pipe.</summary>
    public const string Variable = "DROPOUT_KERNEL_PARENT_PIPE";

    /// <summary>Held while an output file is written, so that the process is not ended half-way through one.</summary>
    internal static readonly Lock Writing = new();

    /// <summary>
    /// Watches the parent's pipe when <see cref="Variable"/> is set (true then); standard input becomes <c>/dev/null</c>
    /// for everything else, cells included.
    /// </summary>
    /// <param name="jobPath">The kernel job; its folder is the parent's, removed when the parent is gone.</param>
    public static bool Start(string jobPath)
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") return false;
        Stream pipe = TakeStandardInput() ?? Console.OpenStandardInput();
        var thread = new Thread(() =>
        {
            var buffer = new byte[256];
            try
            {
                while (pipe.Read(buffer) > 0)
                {
                    // the parent never writes: keep waiting for the end
                }
            }
            catch (IOException)
            {
                // a broken pipe is an end too
            }
            ParentGone(jobPath);
        })
        { IsBackground = true, Name = "parent watch" };
        thread.Start();
        return true;
    }

    static void ParentGone(string jobPath)
    {
        try
        {
            JobFolder.DeleteIfAbandoned(Path.GetDirectoryName(Path.GetFullPath(jobPath))!, patience: TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the next notebooks command removes it (JobFolder sweeps abandoned job folders)
        }
        // An output file being written is finished first (a few milliseconds), so that no temporary file stays behind.
        Writing.TryEnter(TimeSpan.FromSeconds(10));
        // Whatever the cells started (a study, say) goes too; then this process.
        foreach (int child in Children())
        {
            try
            {
                using var process = Process.GetProcessById(child);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // it ended meanwhile
            }
        }
        Process.GetCurrentProcess().Kill();
    }

    /// <summary>This process's children, from /proc (none where there is no /proc).</summary>
    static List<int> Children()
    {
        var children = new List<int>();
        if (!Directory.Exists("/proc")) return children;
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out int pid)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // pid (comm) state ppid ...: the command name may hold spaces, so read after its closing parenthesis.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 1 && int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == Environment.ProcessId) children.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // it ended meanwhile
            }
        }
        return children;
    }

    /// <summary>
    /// Moves standard input to a new descriptor that child processes do not inherit, and puts <c>/dev/null</c> in its
    /// place; returns the pipe, or null where that cannot be done (then the pipe stays standard input).
    /// </summary>
    static Stream? TakeStandardInput()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return null;
        try
        {
            int pipe = fcntl(0, OperatingSystem.IsMacOS() ? 67 : 1030 /* F_DUPFD_CLOEXEC */, 3);
            if (pipe < 0) return null;
            int empty = open("/dev/null", 0 /* O_RDONLY */);
            if (empty >= 0)
            {
                dup2(empty, 0);
                close(empty);
            }
            return new FileStream(new SafeFileHandle(pipe, ownsHandle: true), FileAccess.Read, 1);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int fcntl(int fd, int command, int argument);

    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    static extern int dup2(int from, int to);

    [DllImport("libc")]
    static extern int close(int fd);
}
