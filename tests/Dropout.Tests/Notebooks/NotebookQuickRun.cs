using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dropout.Notebooks.Engine;
using Dropout.Tests.Engine;

namespace Dropout.Tests.Notebooks;

/// <summary>
/// One quick-mode run of a repository notebook through the engine, shared by a test class, with ways to
/// find a code cell by a fragment of its source and read what it printed, showed or drew.
/// </summary>
public abstract class NotebookQuickRun : IAsyncLifetime
{
    /// <summary>The notebook's file name under notebooks/.</summary>
    protected abstract string Name { get; }

    public NotebookResult Result { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string path = System.IO.Path.Combine(NotebookFile.RepositoryRoot(), "notebooks", Name);
        Result = await EngineTestSupport.RunOne(path, o => o with { Quick = true });
        Assert.True(Result.Status == NotebookStatus.Succeeded, Result.Failure);
    }

    public Task DisposeAsync()
    {
        if (Result?.Html is { } html && System.IO.Path.GetDirectoryName(html) is { } dir && Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The one executed code cell whose source contains <paramref name="fragment"/>.</summary>
    public ExecutedCell Cell(string fragment)
    {
        var matches = Result.Cells.Where(c => c.CellType == "code" && c.Code.Contains(fragment, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"{Name}: expected one code cell containing '{fragment}', found {matches.Count}.");
        Assert.NotNull(matches[0].ExecutionCount);
        return matches[0];
    }

    /// <summary>Everything the cell wrote to stdout.</summary>
    public string Stdout(string fragment) =>
        string.Concat(Cell(fragment).Outputs.OfType<StreamOutput>().Where(s => s.Name == "stdout").Select(s => s.Text));

    /// <summary>The cell's displayed values (result and display calls).</summary>
    public IReadOnlyList<DisplayOutput> Displays(string fragment) => Cell(fragment).Outputs.OfType<DisplayOutput>().ToList();

    /// <summary>The rows of the first HTML table the cell showed, cells decoded to text (header excluded).</summary>
    public IReadOnlyList<string[]> TableRows(string fragment)
    {
        var html = Displays(fragment).Select(d => d.Data.GetValueOrDefault("text/html")).FirstOrDefault(h => h is not null && h.Contains("<table"));
        Assert.True(html is not null, $"{Name}: the cell containing '{fragment}' showed no table.");
        string body = html![html.IndexOf("<tbody>", StringComparison.Ordinal)..];
        return Regex.Matches(body, "<tr>(.*?)</tr>", RegexOptions.Singleline)
            .Select(r => Regex.Matches(r.Groups[1].Value, "<td>(.*?)</td>", RegexOptions.Singleline).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value)).ToArray())
            .ToList();
    }

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
