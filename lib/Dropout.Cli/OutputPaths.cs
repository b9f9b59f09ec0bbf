using Dropout.Experiments.Platform;
using Dropout.Experiments.Study;
using Dropout.Platform;
using Dropout.Study;

namespace Dropout.Cli;

/// <summary>
/// Checks of the paths a command will write (and of results files it will read), made before any work and before anything
/// is written, so that a bad path costs nothing and leaves nothing behind. Messages name the path as the user wrote it.
/// Only regular files are written or replaced: a folder, a device (<c>/dev/null</c>), a pipe or a socket is refused. A
/// symbolic link is followed: its target is checked and written (the link kept), and a results file's lock and settings
/// files sit beside that target.
/// </summary>
internal static class OutputPaths
{
    /// <summary>
    /// Checks a file the command will create or replace: not empty, not a folder (nor ending in a separator), not a
    /// device, pipe or socket, no file where its path needs a folder, and its nearest existing folder writable.
    /// </summary>
    /// <param name="option">The option that named it (e.g. "--out").</param>
    /// <param name="example">A valid value to suggest (e.g. "artifacts/study/results.csv").</param>
    /// <exception cref="UserError">The path cannot be written; the message says why.</exception>
    public static void CheckFile(string option, string? path, string example)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UserError($"{option} is empty; give a file path, e.g. {option} {example}.");
        string fileName = Path.GetFileName(example);
        if (Path.EndsInDirectorySeparator(path))
            throw new UserError($"{option} {path} ends with '{path[^1]}', so it names a folder; give a file path, e.g. {option} {Path.Combine(path, fileName)}.");
        string target = Target(option, path);
        var kind = FileNode.Kind(target);
        string via = target == path ? "" : $" (the symbolic link leads to {target})";
        switch (kind)
        {
            case FileKind.Directory:
                throw new UserError($"{option} {path} is a folder{via}; give a file path, e.g. {option} {Path.Combine(path, fileName)}.");
            case FileKind.Missing or FileKind.Regular:
                break;
            default:
                throw new UserError($"{option} {path} is {FileNode.Describe(kind)}{via}, not a regular file; it is never written or replaced. " +
                    $"Give a file path, e.g. {option} {example}.");
        }
        string folder = Path.GetDirectoryName(target) is { Length: > 0 } d ? d : ".";
        CheckFolderChain(option, path, folder);
        if (kind == FileKind.Regular)
        {
            try
            {
                using var _ = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (UnauthorizedAccessException)
            {
                throw new UserError($"{option} {path}: the file exists and cannot be written (permission denied).");
            }
            catch (IOException e)
            {
                throw new UserError($"{option} {path}: the file exists and cannot be written ({e.Message.TrimEnd('.')}).");
            }
        }
    }

    /// <summary><see cref="CheckFile"/>, plus the results file's lock and settings files: regular or missing.</summary>
    /// <inheritdoc cref="CheckFile"/>
    public static void CheckResultsFile(string option, string? path, string example)
    {
        CheckFile(option, path, example);
        CheckBeside(option, path!);
    }

    /// <summary>
    /// Checks a results file the command will read: a regular file (a folder, device or pipe is refused before anything
    /// waits on it), its lock and settings files regular or missing. A missing file is left to the merge, which tells a
    /// file that does not exist from one a study has not yet written its first run to.
    /// </summary>
    /// <exception cref="UserError">The file cannot be read as a results file; the message says why.</exception>
    public static void CheckResultsInput(string path)
    {
        string target = Target("", path);
        var kind = FileNode.Kind(target);
        string via = target == path ? "" : $" (the symbolic link leads to {target})";
        if (kind == FileKind.Directory) throw new UserError($"{path} is a folder{via}; give the results files in it (e.g. {Path.Combine(path, "*.csv")}).");
        if (kind is not (FileKind.Regular or FileKind.Missing))
            throw new UserError($"{path} is {FileNode.Describe(kind)}{via}, not a results file; only files written by the study command can be merged.");
        CheckBeside("", path);
    }

    static void CheckBeside(string option, string path)
    {
        foreach (var (what, beside) in new[] { ("lock file", StudyResultsFile.LockPath(path)), ("settings file", StudySettings.SidecarPath(path)) })
        {
            var kind = FileNode.Kind(Target(option, beside));
            if (kind is not (FileKind.Missing or FileKind.Regular))
                throw new UserError($"{Named(option, path)}: its {what} {beside} is {FileNode.Describe(kind)}, not a regular file; " +
                    $"remove it, or {(option.Length > 0 ? $"give another {option}" : "choose another file")}.");
        }
    }

    /// <summary>
    /// Checks a folder the command will create if missing and write into: not empty, not a file, device, pipe or socket, no
    /// file where its path needs a folder, its nearest existing folder writable, and the <paramref name="files"/> it will
    /// write there regular or missing.
    /// </summary>
    /// <exception cref="UserError">The folder cannot be written; the message says why.</exception>
    public static void CheckFolder(string option, string? path, params IEnumerable<string> files)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UserError($"{option} is empty; give a folder, e.g. {option} artifacts/charts.");
        var kind = FileNode.Kind(path);
        if (kind == FileKind.Regular) throw new UserError($"{option} {path} is a file; give a folder (it is created if missing).");
        if (kind is not (FileKind.Missing or FileKind.Directory))
            throw new UserError($"{option} {path} is {FileNode.Describe(kind)}; give a folder (it is created if missing).");
        CheckFolderChain(option, path, path);
        if (kind != FileKind.Directory) return;
        foreach (string file in files)
        {
            string inside = Path.Combine(path, file);
            string target = Target(option, inside);
            var fileKind = FileNode.Kind(target);
            if (fileKind is not (FileKind.Missing or FileKind.Regular))
                throw new UserError($"{option} {path}: {inside} is {FileNode.Describe(fileKind)}{(target == inside ? "" : $" (the symbolic link leads to {target})")}, " +
                    "not a regular file, and would have to be replaced; remove it, or give another folder.");
        }
    }

    /// <summary>Where <paramref name="path"/>'s symbolic links lead (the path itself when it is none); a loop is a user error.</summary>
    static string Target(string option, string path)
    {
        try
        {
            return FileNode.FinalPath(path);
        }
        catch (IOException e)
        {
            throw new UserError($"{Named(option, path)}: {e.Message}");
        }
    }

    static string Named(string option, string path) => option.Length > 0 ? $"{option} {path}" : path;

    /// <summary>Walks up from <paramref name="folder"/> to the first part that exists: it must be a folder, and writable.</summary>
    static void CheckFolderChain(string option, string path, string folder)
    {
        for (string? part = folder; !string.IsNullOrEmpty(part); part = Path.GetDirectoryName(part))
        {
            var kind = FileNode.Kind(part);
            if (kind == FileKind.Missing) continue;
            if (kind != FileKind.Directory)
                throw new UserError($"{option} {path}: {part} is {(kind == FileKind.Regular ? "a file" : FileNode.Describe(kind))}, so it cannot hold {(part == folder ? "the file" : "a folder")}.");
            if (!CanCreateFileIn(part, out string reason)) throw new UserError($"{option} {path}: cannot write in {part} ({reason}).");
            return;
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
