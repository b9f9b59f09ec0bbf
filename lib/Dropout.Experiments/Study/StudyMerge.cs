using Dropout.Experiments.Platform;
using Dropout.Platform;
using Dropout.Study;

namespace Dropout.Experiments.Study;

/// <summary>Merges results files of one setting (a study's shards, say) into one, refusing runs found in two files.</summary>
public static class StudyMerge
{
    /// <summary>A merge of this many rows says so before it sorts and writes them (a few seconds).</summary>
    const int LargeMerge = 250_000;

    /// <summary>What <see cref="Run"/> wrote.</summary>
    /// <param name="Rows">The merged rows, in display order (the source's pairs first), seed and epoch ascending.</param>
    public sealed record Result(StudySettings Settings, IReadOnlyList<StudyRow> Rows)
    {
        /// <summary>Number of (pair, seed) runs merged.</summary>
        public int RunCount => Rows.Select(r => r.Run).Distinct().Count();
    }

    /// <summary>
    /// Merges <paramref name="inputs"/> into <paramref name="output"/> and its settings file, written atomically; unfinished
    /// runs in an input are left out and reported. Inputs are read under their shared <see cref="StudyFileLock"/>, the
    /// output written under its own, so a merge never reads a file mid-study nor races another writer of its output.
    /// </summary>
    /// <param name="output">The merged file; it must not exist yet.</param>
    /// <param name="report">Told about unfinished runs left out, about waiting for another process, and how far long reads got.</param>
    /// <param name="wait">How long to wait for a file another process is writing: null refuses at once.</param>
    /// <exception cref="StudyFileBusyException">Another process is writing an input or the output.</exception>
    /// <exception cref="ArgumentException">No input, an input given twice, an input that is a folder or not a regular file, or the output is one of the inputs.</exception>
    /// <exception cref="IOException"><paramref name="output"/> already exists.</exception>
    /// <exception cref="FileNotFoundException">An input does not exist.</exception>
    /// <exception cref="StudySettingsMismatchException">The inputs were made with different settings, or one has no settings file.</exception>
    /// <exception cref="InvalidDataException">A run is in more than one input, or an input is malformed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting, reading or merging; the output is not written.</exception>
    public static Result Run(IReadOnlyList<string> inputs, string output, Action<string>? report = null,
        TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        if (inputs.Count == 0) throw new ArgumentException("give at least one results file to merge.", nameof(inputs));
        foreach (string input in inputs)
        {
            var kind = FileNode.Kind(input);
            if (kind == FileKind.Missing)
            {
                // A study creates its file with its first finished run: one that has not got that far holds the lock already.
                using (LockForReading(input, wait, report, cancellationToken)) kind = FileNode.Kind(input);
                if (kind == FileKind.Missing) throw new FileNotFoundException($"{input} does not exist.", input);
            }
            if (kind == FileKind.Directory)
                throw new ArgumentException($"{input} is a folder; give the results files in it (e.g. {System.IO.Path.Combine(input, "*.csv")}).", nameof(inputs));
            if (kind != FileKind.Regular)
                throw new ArgumentException($"{input} is {FileNode.Describe(kind)}, not a results file; only files written by the study command can be merged.", nameof(inputs));
        }
        // A symbolic link and its target are one file.
        var fullInputs = inputs.Select(i => System.IO.Path.GetFullPath(FileNode.FinalPath(i))).ToList();
        if (fullInputs.Distinct().Count() != fullInputs.Count)
            throw new ArgumentException($"a results file is given twice: {string.Join(", ", fullInputs.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => g.Key))}.", nameof(inputs));
        if (fullInputs.Contains(System.IO.Path.GetFullPath(FileNode.FinalPath(output))))
            throw new ArgumentException($"the output {output} is one of the inputs; write the merge to a new file.", nameof(output));
        if (FileNode.Kind(output) != FileKind.Missing)
            throw new IOException($"{output} already exists; choose another output or delete it first.");

        StudySettings? common = null;
        string? commonFrom = null;
        var rows = new List<StudyRow>();
        var origin = new Dictionary<SeededRun, string>();
        foreach (string input in inputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var inputLock = LockForReading(input, wait, report, cancellationToken);
            var settings = StudySettings.ReadSidecar(input) ?? throw new StudySettingsMismatchException(
                $"{input} has no settings file ({StudySettings.SidecarPath(input)}), so it cannot be told whether it matches the others; only files written by the study command can be merged.", []);
            if (common is null) { common = settings; commonFrom = input; }
            else if (settings.DifferencesFrom(common) is { Count: > 0 } differences)
                throw new StudySettingsMismatchException(
                    $"{input} was made with other settings than {commonFrom}: {string.Join("; ", differences.Select(d => $"{d.Name} is {d.InFile} in {commonFrom} but {d.Requested} in {input}"))}. Results of different settings are never mixed.",
                    differences);

            var content = StudyCsv.Read(input, settings.NumEpochs, settings.Model, report, cancellationToken);
            if (content.NeedsRepair) report?.Invoke($"{input}: {content.RepairNote}; merging its finished runs only.");
            for (int i = 0; i < content.Rows.Count; i += settings.NumEpochs) // whole runs, one after another
            {
                var run = content.Rows[i].Run;
                if (origin.TryGetValue(run, out string? first))
                    throw new InvalidDataException($"{run} is in both {first} and {input}; each run must come from one file (did two shards overlap, or was the same study run twice into different files?).");
                origin[run] = input;
            }
            rows.AddRange(content.Rows);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (rows.Count >= LargeMerge) report?.Invoke($"sorting {rows.Count:N0} rows and writing them to {output}...");
        var ordered = StudyPlan.InDisplayOrder(rows, r => r.Run.Pair).ThenBy(r => r.Seed).ThenBy(r => r.Epoch).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        // Everything is checked; only now is anything written, under the output's lock.
        using var outputLock = StudyFileLock.Acquire(output, wait, report, cancellationToken);
        if (FileNode.Kind(output) != FileKind.Missing) // written by a merge that held the lock before this one
            throw new IOException($"{output} already exists; choose another output or delete it first.");
        common!.WriteSidecar(output);
        StudyCsv.Write(output, ordered);
        return new Result(common, ordered);
    }

    /// <summary>The input's shared lock; null when its folder is read-only (no lock file), where no study can be writing.</summary>
    static StudyFileLock? LockForReading(string input, TimeSpan? wait, Action<string>? report, CancellationToken cancellationToken)
    {
        try
        {
            return StudyFileLock.AcquireForReading(input, wait, report, cancellationToken,
                busyAdvice: "wait for it to finish (or pass --wait) before merging it");
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
