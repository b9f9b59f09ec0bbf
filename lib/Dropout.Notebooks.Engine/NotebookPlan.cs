namespace Dropout.Notebooks.Engine;

/// <summary>
/// The cells a notebook will run, in order: its own cells, plus the cell of parameter overrides
/// injected right after the cell tagged <c>parameters</c> when there are overrides for it.
/// </summary>
sealed record NotebookPlan(NotebookDocument Document, IReadOnlyList<PlannedCell> Cells)
{
    public int CodeCellCount => Cells.Count(c => c.CellType == "code");

    /// <exception cref="ParameterException">Overrides that the notebook's parameters cell cannot take.</exception>
    public static NotebookPlan Create(NotebookDocument document, NotebookRunOptions options)
    {
        var cells = document.Cells.Select(c => new PlannedCell(c, c.CellType, c.Source, c.Language)).ToList();
        var parametersCell = document.Cells.FirstOrDefault(c => c.CellType == "code" && c.Tags.Contains(NotebookParameters.ParametersTag));

        var overrides = new List<KeyValuePair<string, string>>();
        if (options.Quick && parametersCell is not null
            && NotebookParameters.Declarations(parametersCell.Source).Any(d => d.Name == NotebookParameters.QuickParameter))
            overrides.Add(new(NotebookParameters.QuickParameter, "true"));
        foreach (var (name, value) in options.Parameters)
        {
            overrides.RemoveAll(o => o.Key == name);
            overrides.Add(new(name, value));
        }
        if (overrides.Count == 0) return new NotebookPlan(document, cells);

        if (parametersCell is null)
            throw new ParameterException(
                $"{document.Path} has no code cell tagged '{NotebookParameters.ParametersTag}', so -p {overrides[0].Key}=... has nowhere to go. " +
                "Tag the cell that declares the parameters (cell metadata \"tags\": [\"parameters\"]).");
        string injected;
        try { injected = NotebookParameters.InjectedSource(parametersCell.Source, overrides); }
        catch (ParameterException e) { throw new ParameterException($"{document.Path}: {e.Message}"); }
        cells.Insert(parametersCell.Number, new PlannedCell(null, "code", injected, "csharp"));
        return new NotebookPlan(document, cells);
    }
}

/// <summary>A cell to run or copy: <paramref name="Source"/> is null for the injected parameters cell.</summary>
sealed record PlannedCell(NotebookCell? Source, string CellType, string Code, string Language);
