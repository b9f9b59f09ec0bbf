namespace Dropout.Notebooks.Runner.Documents;

/// <summary>
/// The cells a notebook will run, in order: its own, plus (papermill's way) the cell of overrides injected right after
/// the cell tagged <c>parameters</c>.
/// </summary>
public sealed record NotebookPlan(NotebookDocument Document, IReadOnlyList<PlannedCell> Cells)
{
    /// <summary>How many code cells the run has (the injected one included).</summary>
    public int CodeCellCount => Cells.Count(c => c.CellType == "code");

    /// <summary><paramref name="quick"/> sets <c>quick</c> where declared; <c>-p</c> overrides win over it.</summary>
    /// <exception cref="ParameterException">Overrides that the notebook's parameters cell cannot take.</exception>
    public static NotebookPlan Create(NotebookDocument document, bool quick, IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        var cells = document.Cells.Select(c => new PlannedCell(c, c.CellType, c.Source, c.Language)).ToList();
        var parametersCell = document.Cells.FirstOrDefault(c => c.CellType == "code" && c.Tags.Contains(NotebookParameters.ParametersTag));

        var applied = new List<KeyValuePair<string, string>>();
        if (quick && parametersCell is not null
            && NotebookParameters.Declarations(parametersCell.Source).Any(d => d.Name == NotebookParameters.QuickParameter))
            applied.Add(new(NotebookParameters.QuickParameter, "true"));
        foreach (var (name, value) in overrides)
        {
            applied.RemoveAll(o => o.Key == name);
            applied.Add(new(name, value));
        }
        if (applied.Count == 0) return new NotebookPlan(document, cells);

        if (parametersCell is null)
            throw new ParameterException(
                $"{document.Path} has no code cell tagged '{NotebookParameters.ParametersTag}', so -p {applied[0].Key}=... has nowhere to go. " +
                "Tag the cell that declares the parameters (cell metadata \"tags\": [\"parameters\"]).");
        string injected;
        try { injected = NotebookParameters.InjectedSource(parametersCell.Source, applied); }
        catch (ParameterException e) { throw new ParameterException($"{document.Path}: {e.Message}"); }
        cells.Insert(parametersCell.Number, new PlannedCell(null, "code", injected, parametersCell.Language));
        return new NotebookPlan(document, cells);
    }
}
