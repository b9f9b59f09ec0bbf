using System.Text;
using Dropout.Experiments.Platform;
using Dropout.Platform;
using Dropout.Study;

namespace Dropout.Experiments.Study;

/// <summary>
/// A study's results CSV and its settings file, opened for resuming: finished runs are skipped, and each new run is
/// appended whole in one write flushed to disk, so an interruption loses at most the run in progress. A new file is
/// created with its first finished run: a study that stops before one leaves nothing behind.
/// <para>
/// It holds the file's <see cref="StudyFileLock"/> until disposed, so it is the file's only writer; a second one (another
/// process, or a second <see cref="Open"/> here) waits or is refused. A symbolic link is followed: its target is read
/// and appended to, with the lock and settings file beside it.
/// </para>
/// </summary>
public sealed class StudyResultsFile : IDisposable
{
    readonly List<StudyRow> _rows;
    readonly HashSet<SeededRun> _completed;
    readonly StudyFileLock _lock;
    bool _exists;

    /// <summary>The CSV's path.</summary>
    public string Path { get; }
    /// <summary>The settings every run in the file was trained with.</summary>
    public StudySettings Settings { get; }
    /// <summary>All rows, in file order.</summary>
    public IReadOnlyList<StudyRow> Rows => _rows;
    /// <summary>The runs whose every epoch is in the file.</summary>
    public IReadOnlySet<SeededRun> CompletedRuns => _completed;

    StudyResultsFile(string path, StudySettings settings, List<StudyRow> rows, StudyFileLock fileLock, bool exists)
    {
        Path = path;
        Settings = settings;
        _rows = rows;
        _completed = rows.Select(r => r.Run).ToHashSet();
        _lock = fileLock;
        _exists = exists;
    }

    /// <summary>The lock file of the results file <paramref name="csvPath"/> (beside the file a symbolic link leads to).</summary>
    public static string LockPath(string csvPath) => StudyFileLock.LockPath(csvPath);

    /// <summary>True when every epoch of <paramref name="run"/> is in the file.</summary>
    public bool IsComplete(SeededRun run) => _completed.Contains(run);

    /// <summary>
    /// Takes the file's lock and opens <paramref name="path"/>. A missing file is written only when the first run is
    /// appended. An existing one must have been made with <paramref name="settings"/>; what an interruption left (an
    /// unfinished last line or run) is dropped by an atomic rewrite and reported. Dispose the result to release the lock.
    /// </summary>
    /// <param name="report">Told about repairs, about waiting for another process, and how far a long read got.</param>
    /// <param name="wait">How long to wait for another process that holds the file: null refuses at once (see <see cref="StudyFileLock.Acquire(string, TimeSpan?, Action{string}?, CancellationToken, string?)"/>).</param>
    /// <exception cref="StudyFileBusyException">Another process is writing the file.</exception>
    /// <exception cref="StudySettingsMismatchException">The file was made with other settings, or has no settings file.</exception>
    /// <exception cref="InvalidDataException">The file is not a study results file, or holds a row no study writes; the message names the line.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting for the lock or reading; nothing is changed.</exception>
    public static StudyResultsFile Open(string path, StudySettings settings, Action<string>? report = null,
        TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        var fileLock = StudyFileLock.Acquire(path, wait, report, cancellationToken);
        try
        {
            return OpenLocked(path, settings, report, fileLock, cancellationToken);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    static StudyResultsFile OpenLocked(string path, StudySettings settings, Action<string>? report, StudyFileLock fileLock, CancellationToken cancellationToken)
    {
        string sidecar = StudySettings.SidecarPath(path);
        if (FileNode.Kind(path) == FileKind.Missing || new FileInfo(FileNode.FinalPath(path)).Length == 0)
            return new StudyResultsFile(path, settings, [], fileLock, exists: false);

        var stored = StudySettings.ReadSidecar(path) ?? throw new StudySettingsMismatchException(
            $"{path} exists but its settings file {sidecar} does not, so it cannot be told whether its runs match " +
            $"these settings ({settings}). Choose another --out, or delete {path} to start over.", []);
        var differences = settings.DifferencesFrom(stored);
        if (differences.Count > 0)
            throw new StudySettingsMismatchException(
                $"{path} was made with other settings: {string.Join("; ", differences)}. Results of different settings are never mixed: " +
                $"choose another --out, or delete {path} and {sidecar} to start over.", differences);

        var content = StudyCsv.Read(path, settings.NumEpochs, settings.Model, report, cancellationToken);
        if (content.NeedsRepair)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StudyCsv.Write(path, content.Rows);
            report?.Invoke($"repaired {path}: {content.RepairNote}; kept {content.Rows.Count / settings.NumEpochs} finished runs, the rest will be trained again.");
        }
        return new StudyResultsFile(path, settings, content.Rows.ToList(), fileLock, exists: true);
    }

    /// <summary>Appends one finished run (epochs 1..<see cref="StudySettings.NumEpochs"/>) in one write, flushed to disk.</summary>
    /// <exception cref="ArgumentException">The rows are not exactly one whole run of this file's model, or the run is already in the file.</exception>
    /// <exception cref="ObjectDisposedException">The file was closed (its lock released).</exception>
    public void AppendRun(IReadOnlyList<StudyRow> runRows)
    {
        ObjectDisposedException.ThrowIf(!_lock.IsHeld, this);
        if (runRows.Count == 0) throw new ArgumentException("a run has at least one epoch.", nameof(runRows));
        var run = runRows[0].Run;
        if (runRows.Any(r => r.Run != run || r.Model != Settings.Model))
            throw new ArgumentException($"the rows must all belong to {run} of the {Settings.Model} model.", nameof(runRows));
        if (!runRows.Select(r => r.Epoch).SequenceEqual(Enumerable.Range(1, Settings.NumEpochs)))
            throw new ArgumentException($"{run} must have epochs 1..{Settings.NumEpochs} in order; got {string.Join(",", runRows.Select(r => r.Epoch))}.", nameof(runRows));
        if (_completed.Contains(run)) throw new ArgumentException($"{run} is already in {Path}.", nameof(runRows));

        var text = new StringBuilder();
        foreach (var row in runRows) text.Append(row.ToCsvLine()).Append('\n');
        if (!_exists)
        {
            // The first run creates the file, whole: its settings file first, then header and run in one atomic write.
            Settings.WriteSidecar(Path);
            AtomicFile.WriteAllText(Path, StudyRow.CsvHeader + "\n" + text);
            _exists = true;
        }
        else
        {
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            // The lock makes this object the file's only writer, so the end of the file is where this write lands.
            using var stream = new FileStream(FileNode.FinalPath(Path), FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        _rows.AddRange(runRows);
        _completed.Add(run);
    }

    /// <summary>Releases the file's lock; the rows stay readable, appending is no longer allowed.</summary>
    public void Dispose() => _lock.Dispose();
}
