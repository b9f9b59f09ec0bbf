namespace Dropout.Cli;

/// <summary>
/// Checks of the paths a command will write, made before any work (loading data, training) and before anything is
/// written, so that a bad path costs nothing. Messages name the path as the user wrote it.
/// </summary>
internal static class OutputPaths
{
    /// <summary>
    /// Checks a file the command will create or replace: not empty, not an existing folder, no file where its path needs
    /// a folder, and its folder (or the nearest one that exists, where the rest will be created) writable.
    /// </summary>
    /// <param name="option">The option that named it (e.g. "--out").</param>
    /// <param name="path">The path as the user wrote it.</param>
    /// <param name="example">A valid value to suggest (e.g. "artifacts/study/results.csv").</param>
    /// <exception cref="UserError">The path cannot be written; the message says why.</exception>
    public static void CheckFile(string option, string? path, string example)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UserError($"{option} is empty; give a file path, e.g. {option} {example}.");
        if (Directory.Exists(path))
            throw new UserError($"{option} {path} is a folder; give a file path, e.g. {option} {Path.Combine(path, Path.GetFileName(example))}.");
        string folder = Path.GetDirectoryName(path) is { Length: > 0 } d ? d : ".";
        CheckFolderChain(option, path, folder);
        if (File.Exists(path))
        {
            try
            {
                using var _ = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (UnauthorizedAccessException)
            {
                throw new UserError($"{option} {path}: the file exists and cannot be written (permission denied).");
            }
        }
    }

    /// <summary>
    /// Checks a folder the command will create (if missing) and write files into: not empty, not an existing file, no
    /// file where its path needs a folder, and writable (or its nearest existing parent, where it will be created).
    /// </summary>
    /// <param name="option">The option that named it (e.g. "--charts").</param>
    /// <param name="path">The path as the user wrote it.</param>
    /// <exception cref="UserError">The folder cannot be written; the message says why.</exception>
    public static void CheckFolder(string option, string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UserError($"{option} is empty; give a folder, e.g. {option} artifacts/charts.");
        if (File.Exists(path)) throw new UserError($"{option} {path} is a file; give a folder (it is created if missing).");
        CheckFolderChain(option, path, path);
    }

    /// <summary>Walks up from <paramref name="folder"/> to the first part that exists: it must be a folder, and writable.</summary>
    static void CheckFolderChain(string option, string path, string folder)
    {
        for (string? part = folder; !string.IsNullOrEmpty(part); part = Path.GetDirectoryName(part))
        {
            if (File.Exists(part))
                throw new UserError($"{option} {path}: {part} is a file, so it cannot hold {(part == folder ? "the file" : "a folder")}.");
            if (Directory.Exists(part))
            {
                if (!CanCreateFileIn(part, out string reason)) throw new UserError($"{option} {path}: cannot write in {part} ({reason}).");
                return;
            }
        }
        // A relative path whose first part does not exist: it will be created in the current folder.
        if (!CanCreateFileIn(".", out string why))
            throw new UserError($"{option} {path}: cannot write in the current folder {Environment.CurrentDirectory} ({why}).");
    }

    /// <summary>Creates and at once deletes an empty file in <paramref name="folder"/>: the one sure test, whoever runs it.</summary>
    static bool CanCreateFileIn(string folder, out string reason)
    {
        string probe = Path.Combine(folder, $".dropout-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using var _ = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            reason = "";
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            reason = "permission denied";
        }
        catch (IOException)
        {
            reason = "the file system refuses new files there";
        }
        return false;
    }
}
