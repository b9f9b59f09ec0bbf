namespace Dropout.Notebooks.Runner.Execution;

/// <summary>What to run and how.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>The notebooks to run, in order.</summary>
    public required IReadOnlyList<string> Notebooks { get; init; }

    /// <summary>Where the executed .ipynb and the .html of each notebook go.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Sets the parameter <c>quick</c> to true in every notebook that declares it (few epochs, small subsets).</summary>
    public bool Quick { get; init; }

    /// <summary>Parameter overrides (<c>-p name=value</c>), applied after <see cref="Quick"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>The longest a single cell may run; null for no limit.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>Also overwrite each source notebook with its executed copy.</summary>
    public bool InPlace { get; init; }
}
