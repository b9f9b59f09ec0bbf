using System.Diagnostics;
using Dropout.Experiments.Platform;
using Dropout.Platform;

namespace Dropout.Tests.Experiments.Platform;

/// <summary>
/// Files that are not regular files, made in a test's own folder: a named pipe (mkfifo), a Unix socket, and — when the
/// tests run as root — a character device with /dev/null's numbers (mknod), which stands in for /dev/null itself: a
/// writer that wrongly replaced it would harm nothing outside the test's folder.
/// </summary>
static class SpecialFiles
{
    /// <summary>The kinds a test can make here (a device only as root).</summary>
    public static IEnumerable<FileKind> Kinds =>
        Environment.UserName == "root" ? [FileKind.Fifo, FileKind.Socket, FileKind.CharacterDevice] : [FileKind.Fifo, FileKind.Socket];

    /// <summary>Makes a file of <paramref name="kind"/> at <paramref name="path"/>.</summary>
    public static void Make(FileKind kind, string path)
    {
        switch (kind)
        {
            case FileKind.Fifo:
                Run("mkfifo", path);
                break;
            case FileKind.Socket:
                // Bound by another process: .NET removes a socket file when the socket that bound it is closed; Python leaves it.
                Run("/usr/bin/python3", "-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path);
                break;
            case FileKind.CharacterDevice:
                Run("mknod", path, "c", "1", "3");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a special file");
        }
        Assert.Equal(kind, FileNode.Kind(path, followLinks: false));
    }

    /// <summary>The words a message uses for <paramref name="kind"/>.</summary>
    public static string Words(FileKind kind) => FileNode.Describe(kind);

    static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {error}");
    }
}
