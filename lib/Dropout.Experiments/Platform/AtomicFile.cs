using System.Text;

namespace Dropout.Experiments.Platform;

/// <summary>
/// Writes a file whole or not at all, so a reader (or a crash) never sees half of one: the bytes go to a temporary file
/// beside the target, are flushed to disk, and the temporary file is renamed over the target. Only a regular file is
/// replaced: a folder, a device (<c>/dev/null</c>), a named pipe or a socket is refused before anything is written. A
/// symbolic link is followed (its target written, the link kept) unless the caller asks to replace the link itself.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/>, creating its folder.</summary>
    /// <exception cref="IOException">The path (or its link's target) exists and is not a regular file.</exception>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, creating its folder.</summary>
    /// <inheritdoc cref="Write(string, Action{Stream}, UnixFileMode?, bool)"/>
    public static void WriteAllBytes(string path, byte[] bytes, UnixFileMode? mode = null, bool followLinks = true) =>
        Write(path, stream => stream.Write(bytes), mode, followLinks);

    /// <summary>
    /// Writes to <paramref name="path"/> what <paramref name="write"/> puts in its stream (a large file need not be held in
    /// memory), creating its folder. If <paramref name="write"/> throws, nothing is replaced.
    /// </summary>
    /// <param name="mode">The Unix permissions the new file gets (e.g. those of the file it replaces); null for the default.</param>
    /// <param name="followLinks">True (the default) writes a symbolic link's target and keeps the link; false replaces the link itself.</param>
    /// <exception cref="IOException">The path (or its link's target) exists and is not a regular file.</exception>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode = null, bool followLinks = true)
    {
        string full = Path.GetFullPath(followLinks ? FileNode.FinalPath(path) : path);
        var kind = FileNode.Kind(full, followLinks: false);
        if (kind is not (FileKind.Missing or FileKind.Regular) && !(kind == FileKind.SymbolicLink && !followLinks))
            throw new IOException($"{path} is {FileNode.Describe(kind)}{(full == Path.GetFullPath(path) ? "" : $" ({full})")}, not a regular file; it is not replaced.");
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            if (mode is UnixFileMode unixMode && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, unixMode);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
