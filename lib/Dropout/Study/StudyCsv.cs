using System.Text;
using Dropout.Platform;

namespace Dropout.Study;

/// <summary>Reading, cleaning and writing the results CSV.</summary>
public static class StudyCsv
{
    /// <summary>
    /// What a results file holds once cleaned: the rows of whole runs only (each epoch 1..n once, first
    /// occurrence kept), and a note of what was dropped.
    /// </summary>
    /// <param name="Rows">The kept rows, in file order.</param>
    /// <param name="RepairNote">What was dropped, or null when nothing was.</param>
    public sealed record Content(IReadOnlyList<StudyRow> Rows, string? RepairNote)
    {
        /// <summary>True when something was dropped and the file should be rewritten.</summary>
        public bool NeedsRepair => RepairNote is not null;
    }

    /// <summary>
    /// Reads <paramref name="path"/>; a last line without its newline (an interrupted write) and the rows of
    /// runs that lack some of epochs 1..<paramref name="epochs"/> are dropped and described in the note.
    /// </summary>
    /// <exception cref="InvalidDataException">The header is not <see cref="StudyRow.CsvHeader"/> or a complete line is malformed.</exception>
    public static Content Read(string path, int epochs)
    {
        string text = File.ReadAllText(path);
        var notes = new List<string>();
        int lastNewline = text.LastIndexOf('\n');
        string partial = text[(lastNewline + 1)..];
        if (partial.Length > 0)
        {
            notes.Add($"dropped an unfinished last line ('{Shorten(partial)}')");
            text = text[..(lastNewline + 1)];
        }
        var lines = text.Split('\n');
        if (lines[0].TrimEnd('\r') != StudyRow.CsvHeader)
            throw new InvalidDataException($"{path} is not a study results file: its first line is '{Shorten(lines[0])}', expected '{StudyRow.CsvHeader}'.");

        var rows = new List<StudyRow>();
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length > 0) rows.Add(StudyRow.Parse(line, $"{path} line {i + 1}"));
        }

        var kept = new List<StudyRow>();
        var unfinished = new List<StudyRun>();
        int duplicates = 0;
        foreach (var run in rows.Select(r => r.Run).Distinct())
        {
            var runRows = rows.Where(r => r.Run == run).ToList();
            var firstOfEach = runRows.GroupBy(r => r.Epoch).Select(g => g.First()).OrderBy(r => r.Epoch).ToList();
            if (firstOfEach.Select(r => r.Epoch).SequenceEqual(Enumerable.Range(1, epochs)))
            {
                kept.AddRange(firstOfEach);
                duplicates += runRows.Count - firstOfEach.Count;
            }
            else unfinished.Add(run);
        }
        if (unfinished.Count > 0)
            notes.Add($"dropped {unfinished.Count} unfinished run(s) without all {epochs} epochs ({string.Join(", ", unfinished.Take(5))}{(unfinished.Count > 5 ? ", ..." : "")}); they will be trained again");
        if (duplicates > 0)
            notes.Add($"dropped {duplicates} repeated row(s) of runs already in the file");
        // Keep runs in the order they were first written.
        var order = kept.Select(r => r.Run).Distinct().Select((run, i) => (run, i)).ToDictionary(x => x.run, x => x.i);
        kept = kept.OrderBy(r => order[r.Run]).ThenBy(r => r.Epoch).ToList();
        return new Content(kept, notes.Count > 0 ? string.Join("; ", notes) : null);
    }

    /// <summary>All rows of a results file, cleaned as <see cref="Read"/> does, for analysis (epochs taken from its settings file, else from the rows).</summary>
    public static IReadOnlyList<StudyRow> ReadRows(string path)
    {
        int epochs = StudySettings.ReadSidecar(path)?.Epochs ?? MaxEpoch(path);
        return Read(path, epochs).Rows;
    }

    static int MaxEpoch(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select((l, i) => StudyRow.Parse(l, $"{path} line {i + 2}").Epoch).DefaultIfEmpty(1).Max();

    /// <summary>Writes header and rows to <paramref name="path"/> atomically (temp file, then rename).</summary>
    public static void Write(string path, IEnumerable<StudyRow> rows)
    {
        var text = new StringBuilder(StudyRow.CsvHeader).Append('\n');
        foreach (var row in rows) text.Append(row.ToCsvLine()).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
