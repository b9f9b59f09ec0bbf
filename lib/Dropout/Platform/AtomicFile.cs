using System.Text;

namespace Dropout.Platform;

/// <summary>
/// Writes a file whole or not at all, so that a reader (or a crash) never sees half of one: the bytes go to a
/// temporary file beside the target, are flushed to disk, and the temporary file is renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/>, creating its folder.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, creating its folder.</summary>
    /// <param name="path">The file to write or replace.</param>
    /// <param name="bytes">Its new content.</param>
    /// <param name="mode">The Unix permissions the new file gets (e.g. those of the file it replaces); null for the default.</param>
    public static void WriteAllBytes(string path, byte[] bytes, UnixFileMode? mode = null)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
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
