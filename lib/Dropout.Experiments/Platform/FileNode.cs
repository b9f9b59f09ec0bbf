using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Dropout.Experiments.Platform;

/// <summary>
/// What a path names and where its chain of symbolic links ends, so writers can refuse anything but a regular file and
/// write through a link rather than over it. On Linux the kind comes from <c>statx(2)</c>; elsewhere from .NET, which
/// tells folders and links apart but reports every other existing path as a regular file.
/// </summary>
public static class FileNode
{
    /// <summary>How many links a chain may have before it is taken for a loop (Linux's own limit).</summary>
    const int MaxLinks = 40;

    /// <summary>The kind of <paramref name="path"/>; with <paramref name="followLinks"/>, of what its links lead to.</summary>
    public static FileKind Kind(string path, bool followLinks = true)
    {
        if (OperatingSystem.IsLinux() && Statx(path, followLinks) is { } status) return status.Kind;
        var info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null) return FileKind.SymbolicLink;
        if (Directory.Exists(path)) return FileKind.Directory;
        return File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>
    /// The path a write to <paramref name="path"/> lands on: <paramref name="path"/> itself, or, when it is a symbolic
    /// link, where its chain of links ends (which may not exist yet). Folders in the path are left as they are.
    /// </summary>
    /// <exception cref="IOException">The links form a loop, or a chain too long to follow.</exception>
    public static string FinalPath(string path)
    {
        string current = path;
        for (int i = 0; i <= MaxLinks; i++)
        {
            string? target = new FileInfo(current).LinkTarget;
            if (target is null) return current;
            current = Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(current))!, target);
        }
        throw new IOException($"{path} is a symbolic link whose chain of links does not end (a loop, or more than {MaxLinks} links).");
    }

    /// <summary>"a folder", "a character device", "a named pipe (FIFO)", ...: the kind in words, for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.Socket => "a socket",
        _ => kind.ToString(),
    };

    /// <summary>Device and inode of what <paramref name="path"/> names (links followed); null if missing or unknown (not Linux).</summary>
    public static (ulong Device, ulong Inode)? Identity(string path) =>
        OperatingSystem.IsLinux() && Statx(path, followLinks: true) is { Kind: not FileKind.Missing } status ? (status.Device, status.Inode) : null;

    /// <summary>Device and inode of the open file <paramref name="handle"/>; null if unknown (not Linux).</summary>
    public static (ulong Device, ulong Inode)? Identity(SafeHandle handle)
    {
        if (!OperatingSystem.IsLinux()) return null;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath) is { Kind: not FileKind.Missing } status ? (status.Device, status.Inode) : null;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    readonly record struct Status(FileKind Kind, ulong Device, ulong Inode);

    static Status? Statx(string path, bool followLinks) => Statx(AtCurrentDirectory, path, followLinks ? 0 : AtSymlinkNoFollow);

    /// <summary>statx(2), whose buffer has one layout on every Linux architecture; null when the C library lacks it.</summary>
    static Status? Statx(int directory, string path, int flags)
    {
        var buffer = new byte[256];
        int result;
        try
        {
            result = statx(directory, path, flags, StatxType | StatxIno, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR) return new Status(FileKind.Missing, 0, 0);
            return null; // permission denied on a folder in the path, and the like: let .NET say what it finds
        }
        int mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28)) & 0xF000;
        ulong inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32));
        ulong device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(136)) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(140));
        var kind = mode switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            _ => FileKind.Regular,
        };
        return new Status(kind, device, inode);
    }

    const int AtCurrentDirectory = -100, AtSymlinkNoFollow = 0x100, AtEmptyPath = 0x1000;
    const uint StatxType = 0x1, StatxIno = 0x100;
    const int ENOENT = 2, ENOTDIR = 20;

    [DllImport("libc", SetLastError = true)]
    static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
