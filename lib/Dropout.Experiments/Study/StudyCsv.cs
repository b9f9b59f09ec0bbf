using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dropout.Experiments.Platform;
using Dropout.Platform;
using Dropout.Study;

namespace Dropout.Experiments.Study;

/// <summary>
/// Reading, cleaning and writing the results CSV. A study writes one shape only: the header, then whole runs (each
/// (pair, seed) once, epochs 1..n in order, appended in one write) and, after a crash, at most one unfinished run at the
/// end (a prefix of its epochs, the last line perhaps cut short). Reading keeps the whole runs, drops that end and says
/// so, and refuses anything else, naming file and line: no study wrote it, and guessing would hide an edit or damage.
/// </summary>
public static class StudyCsv
{
    /// <summary>A results file once cleaned: the rows of whole runs, in file order.</summary>
    /// <param name="RepairNote">What was dropped, or null when nothing was.</param>
    public sealed record Content(IReadOnlyList<StudyRow> Rows, string? RepairNote)
    {
        /// <summary>True when something was dropped and the file should be rewritten.</summary>
        public bool NeedsRepair => RepairNote is not null;
    }

    static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>A file this large (about 250,000 rows) is announced when its reading starts and ends.</summary>
    const long LargeFile = 16L << 20;

    /// <summary>Reads and cleans <paramref name="path"/> in one pass (time and memory linear in its rows).</summary>
    /// <param name="epochs">The epochs of every run (from the file's settings).</param>
    /// <param name="model">The model every row must name (from the file's settings), or null to accept either.</param>
    /// <param name="progress">Told, every few seconds of a long read, how far it got.</param>
    /// <exception cref="InvalidDataException">
    /// The header is not <see cref="StudyRow.CsvHeader"/>, or a complete line is malformed or a row no study writes: a
    /// value out of range, an epoch beyond <paramref name="epochs"/> or out of order, a run written twice, a run cut short
    /// before another begins, another model. The message names the file and line.
    /// </exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is changed.</exception>
    public static Content Read(string path, int epochs, string? model = null, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        long length = stream.Length;
        bool endsWithNewline = length == 0 || EndsWithNewline(stream);
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, 1 << 16);

        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        bool large = progress is not null && length >= LargeFile;
        if (large) progress!($"reading {path} ({length / (1 << 20):N0} MiB)...");
        var kept = new List<StudyRow>();
        var complete = new Dictionary<SeededRun, int>(); // run → the line its first epoch is on
        var current = new List<StudyRow>();
        int currentLine = 0, lineNumber = 0;
        string? droppedLine = null;

        string header = reader.ReadLine() ?? "";
        lineNumber = 1;
        if (header.TrimEnd('\r') != StudyRow.CsvHeader)
            throw new InvalidDataException($"{path} is not a study results file: its first line is '{Printable(header)}', expected '{StudyRow.CsvHeader}'.");

        while (reader.ReadLine() is string raw)
        {
            lineNumber++;
            if ((lineNumber & 0x1FFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (progress is not null && clock.Elapsed - lastReport >= ProgressInterval)
                {
                    lastReport = clock.Elapsed;
                    progress($"reading {path}: {lineNumber:N0} lines so far ({100.0 * stream.Position / Math.Max(1, length):0} %), {clock.Elapsed.TotalSeconds:0} s");
                }
            }
            if (!endsWithNewline && reader.Peek() < 0)
            {
                droppedLine = raw; // the write was cut short: this line never got its newline
                break;
            }
            string line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            string where = $"{path} line {lineNumber}";
            var row = StudyRow.Parse(line, where);
            if (model is not null && row.Model != model)
                throw new InvalidDataException($"{where}: model '{row.Model}', but the file's settings say '{model}'; no study writes that. Correct or delete the line, or choose another file.");
            if (row.Epoch > epochs)
                throw new InvalidDataException($"{where}: epoch {row.Epoch} of {row.Run}, but the file's runs have {epochs} epochs; no study writes that. Correct or delete the line, or choose another file.");

            if (current.Count > 0 && row.Run == current[0].Run && row.Epoch == current.Count + 1)
                current.Add(row);
            else if (row.Epoch == 1)
            {
                if (current.Count > 0)
                    throw new InvalidDataException($"{where}: {row.Run} begins, but {current[0].Run} (from line {currentLine}) stopped at epoch {current.Count} of {epochs}; " +
                        "a study writes each run whole, so the file was edited or damaged. Correct or delete those lines, or choose another file.");
                if (complete.TryGetValue(row.Run, out int first))
                    throw new InvalidDataException($"{where}: {row.Run} begins again, but the file already holds it whole from line {first}; " +
                        "a study writes each run once, so the file was edited or damaged. Delete one of them, or choose another file.");
                current.Add(row);
                currentLine = lineNumber;
            }
            else
                throw new InvalidDataException(current.Count > 0 && row.Run == current[0].Run
                    ? $"{where}: epoch {row.Epoch} of {row.Run}, but epoch {current.Count + 1} comes next; a study writes epochs 1 to {epochs} of each run in order. Correct or delete the line, or choose another file."
                    : $"{where}: epoch {row.Epoch} of {row.Run} without its earlier epochs; a study writes epochs 1 to {epochs} of each run in order. Correct or delete the line, or choose another file.");

            if (current.Count == epochs)
            {
                complete[current[0].Run] = currentLine;
                kept.AddRange(current);
                current.Clear();
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (large) progress!($"read {path}: {kept.Count:N0} rows in {clock.Elapsed.TotalSeconds:0.0} s");

        var notes = new List<string>();
        if (droppedLine is not null) notes.Add($"dropped an unfinished last line ('{Printable(droppedLine)}')");
        if (current.Count > 0)
            notes.Add($"dropped an unfinished run without all {epochs} epochs ({current[0].Run}: {current.Count} of {epochs} from line {currentLine})");
        return new Content(kept, notes.Count > 0 ? string.Join("; ", notes) : null);
    }

    /// <summary>All rows of a results file, cleaned as <see cref="Read"/> does, for analysis (epochs taken from its settings file, else from the rows).</summary>
    public static IReadOnlyList<StudyRow> ReadRows(string path)
    {
        var settings = StudySettings.ReadSidecar(path);
        return Read(path, settings?.NumEpochs ?? MaxEpoch(path), settings?.Model).Rows;
    }

    static int MaxEpoch(string path) =>
        File.ReadLines(path).Skip(1).Select((l, i) => (Line: l.TrimEnd('\r'), Number: i + 2)).Where(l => l.Line.Length > 0)
            .Select(l => StudyRow.Parse(l.Line, $"{path} line {l.Number}").Epoch).DefaultIfEmpty(1).Max();

    /// <summary>Writes header and rows to <paramref name="path"/> atomically (temp file, then rename), streamed.</summary>
    public static void Write(string path, IEnumerable<StudyRow> rows) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            writer.WriteLine(StudyRow.CsvHeader);
            foreach (var row in rows) writer.WriteLine(row.ToCsvLine());
        });

    static bool EndsWithNewline(FileStream stream)
    {
        stream.Seek(-1, SeekOrigin.End);
        bool newline = stream.ReadByte() == '\n';
        stream.Seek(0, SeekOrigin.Begin);
        return newline;
    }

    /// <summary><paramref name="text"/> for a message: control characters as <c>\0</c> or <c>\xNN</c>, cut to <paramref name="max"/>.</summary>
    internal static string Printable(string text, int max = 60)
    {
        var shown = new StringBuilder();
        foreach (char c in text.Length > max ? text[..max] : text)
        {
            if (c == '\0') shown.Append("\\0");
            else if (char.IsControl(c)) shown.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else shown.Append(c);
        }
        if (text.Length > max) shown.Append($"... ({text.Length:N0} characters)");
        return shown.ToString();
    }
}
