using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Notebooks.Runner.Html;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>A value a cell showed: MIME type → the kernel's text.</summary>
public sealed record Shown(IReadOnlyDictionary<string, string> Data)
{
    /// <summary>True for a Plotly.NET chart (Plotly.NET.Interactive's div and script).</summary>
    public bool IsChart => Data.TryGetValue("text/html", out string? html) && OfflinePlotly.IsChartHtml(html);
}

/// <summary>
/// One quick-mode run of a repository notebook in the real kernel (the runner), shared by a test class, with ways to
/// find a code cell by a fragment of its source and read what it printed, showed or drew, from the executed notebook.
/// </summary>
public abstract class NotebookQuickRun : IAsyncLifetime
{
    /// <summary>The notebook's file name under notebooks/.</summary>
    protected abstract string Name { get; }

    /// <summary>Parameter overrides besides --quick.</summary>
    protected virtual IReadOnlyList<KeyValuePair<string, string>> Parameters => [];

    public NotebookResult Result { get; private set; } = null!;
    public ExecutedNotebook Executed { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string path = System.IO.Path.Combine(NotebookFile.RepositoryRoot(), "notebooks", Name);
        Result = await RunnerTestSupport.RunOne(path, o => o with { Quick = true, Parameters = Parameters });
        Assert.True(Result.Status == NotebookStatus.Succeeded, Result.Failure);
        Executed = ExecutedNotebook.Load(Result.ExecutedNotebook!);
    }

    public virtual Task DisposeAsync()
    {
        if (Result?.Html is { } html && System.IO.Path.GetDirectoryName(html) is { } dir && Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The one executed code cell whose source contains <paramref name="fragment"/>.</summary>
    public JsonNode Cell(string fragment) => Executed.Cell(fragment);

    /// <summary>Everything the cell wrote to stdout.</summary>
    public string Stdout(string fragment) => Executed.Stdout(fragment);

    /// <summary>Everything every cell wrote to stdout, in order.</summary>
    public string AllStdout => string.Join("\n", Executed.CodeCells.Select(c => ExecutedNotebook.Stream(c)));

    /// <summary>The cell's displayed values (its result and anything it displayed).</summary>
    public IReadOnlyList<Shown> Displays(string fragment) => ExecutedNotebook.Displays(Cell(fragment)).Select(d => new Shown(d)).ToList();

    /// <summary>The rows of the table the cell showed (from the kernel's text/csv), header excluded.</summary>
    public IReadOnlyList<string[]> TableRows(string fragment) => Executed.Table(fragment).Skip(1).ToList();

    /// <summary>The tensors printed in numpy style (<c>[[a, b], [c, d]]</c>), each as its flat list of values, in order.</summary>
    public static IReadOnlyList<double[]> PrintedTensors(string stdout) =>
        Regex.Matches(stdout, @"\[\[.*?\]\]", RegexOptions.Singleline)
            .Select(m => Regex.Matches(m.Value, @"-?\d+(\.\d+)?(e-?\d+)?").Select(n => double.Parse(n.Value, CultureInfo.InvariantCulture)).ToArray())
            .ToList();

    public static double Number(string text) => double.Parse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
}

public sealed class ScratchQuickRun : NotebookQuickRun
{
    protected override string Name => "01-dropout-from-scratch.ipynb";
}

public sealed class ConciseQuickRun : NotebookQuickRun
{
    protected override string Name => "02-dropout-concise.ipynb";
}

/// <summary>Notebook 02 at a learning rate where some of its quick runs diverge: the divergence path, exercised.</summary>
public sealed class ConciseDivergingQuickRun : NotebookQuickRun
{
    protected override string Name => "02-dropout-concise.ipynb";
    protected override IReadOnlyList<KeyValuePair<string, string>> Parameters => [new("lr", "1")];
}

public sealed class RegressionQuickRun : NotebookQuickRun
{
    protected override string Name => "03-regression-overfitting.ipynb";
}

public sealed class InvertedDropoutQuickRun : NotebookQuickRun
{
    protected override string Name => "05-vanilla-vs-inverted-dropout.ipynb";
}
