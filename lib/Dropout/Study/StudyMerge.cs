namespace Dropout.Study;

/// <summary>
/// Combines the results files of a study's shards (or of separate runs with the same settings) into one,
/// refusing files of other settings and runs that appear in more than one file.
/// </summary>
public static class StudyMerge
{
    /// <summary>What <see cref="Run"/> wrote.</summary>
    /// <param name="Settings">The common settings.</param>
    /// <param name="Rows">The merged rows, in display order (the source's pairs first), seed and epoch ascending.</param>
    public sealed record Result(StudySettings Settings, IReadOnlyList<StudyRow> Rows)
    {
        /// <summary>Number of (pair, seed) runs merged.</summary>
        public int RunCount => Rows.Select(r => r.Run).Distinct().Count();
    }

    /// <summary>
    /// Merges <paramref name="inputs"/> into <paramref name="output"/> (and its settings file), written
    /// atomically. Unfinished runs in an input are left out and reported.
    /// </summary>
    /// <exception cref="ArgumentException">No input, an input given twice, or the output is one of the inputs.</exception>
    /// <exception cref="IOException"><paramref name="output"/> already exists.</exception>
    /// <exception cref="FileNotFoundException">An input does not exist.</exception>
    /// <exception cref="StudySettingsMismatchException">The inputs were made with different settings, or one has no settings file.</exception>
    /// <exception cref="InvalidDataException">A run is in more than one input, or an input is malformed.</exception>
    public static Result Run(IReadOnlyList<string> inputs, string output, Action<string>? report = null)
    {
        if (inputs.Count == 0) throw new ArgumentException("give at least one results file to merge.", nameof(inputs));
        var fullInputs = inputs.Select(System.IO.Path.GetFullPath).ToList();
        if (fullInputs.Distinct().Count() != fullInputs.Count)
            throw new ArgumentException($"a results file is given twice: {string.Join(", ", fullInputs.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => g.Key))}.", nameof(inputs));
        if (fullInputs.Contains(System.IO.Path.GetFullPath(output)))
            throw new ArgumentException($"the output {output} is one of the inputs; write the merge to a new file.", nameof(output));
        if (File.Exists(output))
            throw new IOException($"{output} already exists; choose another output or delete it first.");

        StudySettings? common = null;
        string? commonFrom = null;
        var rows = new List<StudyRow>();
        var origin = new Dictionary<StudyRun, string>();
        foreach (string input in inputs)
        {
            if (!File.Exists(input)) throw new FileNotFoundException($"{input} does not exist.", input);
            var settings = StudySettings.ReadSidecar(input) ?? throw new StudySettingsMismatchException(
                $"{input} has no settings file ({StudySettings.SidecarPath(input)}), so it cannot be told whether it matches the others; only files written by the study command can be merged.", []);
            if (common is null) { common = settings; commonFrom = input; }
            else if (settings.DifferencesFrom(common) is { Count: > 0 } differences)
                throw new StudySettingsMismatchException(
                    $"{input} was made with other settings than {commonFrom}: {string.Join("; ", differences.Select(d => $"{d.Name} is {d.InFile} in {commonFrom} but {d.Requested} in {input}"))}. Results of different settings are never mixed.",
                    differences);

            var content = StudyCsv.Read(input, settings.Epochs);
            if (content.NeedsRepair) report?.Invoke($"{input}: {content.RepairNote}; merging its finished runs only.");
            foreach (var run in content.Rows.Select(r => r.Run).Distinct())
            {
                if (origin.TryGetValue(run, out string? first))
                    throw new InvalidDataException($"{run} is in both {first} and {input}; each run must come from one file (did two shards overlap, or was the same study run twice into different files?).");
                origin[run] = input;
            }
            rows.AddRange(content.Rows);
        }

        var ordered = StudyPlan.InDisplayOrder(rows, r => r.Run.Pair).ThenBy(r => r.Seed).ThenBy(r => r.Epoch).ToList();
        common!.WriteSidecar(output);
        StudyCsv.Write(output, ordered);
        return new Result(common, ordered);
    }
}
