using System.Globalization;
using System.Text.Json.Nodes;
using Dropout.Notebooks.Runner.Html;

namespace Dropout.Tests.Runner;

/// <summary>
/// An executed notebook as written to disk (by the runner or by Jupyter), read back for assertions on what the
/// kernel produced: a code cell by a fragment of its source or by its 1-based number among all cells, and its
/// outputs — console text, displayed values by MIME type, tables (from their <c>text/csv</c>), charts, errors.
/// </summary>
public sealed class ExecutedNotebook
{
    public string Path { get; }
    public JsonNode Root { get; }
    public IReadOnlyList<JsonNode> Cells { get; }

    ExecutedNotebook(string path)
    {
        Path = path;
        Root = JsonNode.Parse(File.ReadAllText(path))!;
        Cells = Root["cells"]!.AsArray().Select(c => c!).ToList();
    }

    public static ExecutedNotebook Load(string path) => new(path);

    public static string Text(JsonNode? multiline) => multiline switch
    {
        JsonArray a => string.Concat(a.Select(l => l!.GetValue<string>())),
        null => "",
        _ => multiline.GetValue<string>(),
    };

    public IEnumerable<JsonNode> CodeCells => Cells.Where(c => (string)c["cell_type"]! == "code");

    /// <summary>The one code cell whose source contains <paramref name="fragment"/>; it must have run.</summary>
    public JsonNode Cell(string fragment)
    {
        var matches = CodeCells.Where(c => Text(c["source"]).Contains(fragment, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"{System.IO.Path.GetFileName(Path)}: expected one code cell containing '{fragment}', found {matches.Count}.");
        Assert.True(matches[0]["execution_count"] is not null, $"the cell containing '{fragment}' did not run.");
        return matches[0];
    }

    /// <summary>The cell at 1-based position <paramref name="number"/> among all cells.</summary>
    public JsonNode At(int number) => Cells[number - 1];

    public static IReadOnlyList<JsonNode> Outputs(JsonNode cell) => cell["outputs"]!.AsArray().Select(o => o!).ToList();

    /// <summary>The cell's outputs without the runner's offline plotly.js loader.</summary>
    public static IReadOnlyList<JsonNode> KernelOutputs(JsonNode cell) =>
        Outputs(cell).Where(o => o["metadata"]?[OfflinePlotly.MetadataKey] is null).ToList();

    public static string Stream(JsonNode cell, string name = "stdout") =>
        string.Concat(Outputs(cell).Where(o => (string)o["output_type"]! == "stream" && (string)o["name"]! == name).Select(o => Text(o["text"])));

    public string Stdout(string fragment) => Stream(Cell(fragment));

    /// <summary>The cell's displayed values and return values, each as MIME type → text.</summary>
    public static IReadOnlyList<Dictionary<string, string>> Displays(JsonNode cell) =>
        KernelOutputs(cell).Where(o => (string)o["output_type"]! is "display_data" or "execute_result")
            .Select(o => o["data"]!.AsObject().ToDictionary(p => p.Key, p => p.Value is JsonArray or JsonValue ? Text(p.Value) : p.Value!.ToJsonString()))
            .ToList();

    public static IReadOnlyList<JsonNode> Errors(JsonNode cell) => Outputs(cell).Where(o => (string)o["output_type"]! == "error").ToList();

    /// <summary>How many of the cell's outputs are Plotly.NET charts.</summary>
    public static int ChartCount(JsonNode cell) => Displays(cell).Count(d => d.TryGetValue("text/html", out string? h) && OfflinePlotly.IsChartHtml(h));

    /// <summary>The rows of the table the cell showed (from the text/csv the kernel's tabular formatter writes), header first.</summary>
    public IReadOnlyList<string[]> Table(string fragment)
    {
        var csv = Displays(Cell(fragment)).Select(d => d.GetValueOrDefault("text/csv")).FirstOrDefault(c => c is not null);
        Assert.True(csv is not null, $"{System.IO.Path.GetFileName(Path)}: the cell containing '{fragment}' showed no table (no text/csv output).");
        return ParseCsv(csv!);
    }

    /// <summary>Every table the cell showed, in order, each as column name → the column's values.</summary>
    public static IReadOnlyList<Dictionary<string, string[]>> Tables(JsonNode cell) =>
        Displays(cell).Select(d => d.GetValueOrDefault("text/csv")).OfType<string>().Select(csv => Columns(ParseCsv(csv))).ToList();

    /// <summary>Every table of the notebook, in order, as column name → values.</summary>
    public IReadOnlyList<Dictionary<string, string[]>> AllTables => CodeCells.SelectMany(Tables).ToList();

    static Dictionary<string, string[]> Columns(List<string[]> rows) =>
        rows[0].Select((name, i) => (name, i)).ToDictionary(c => c.name, c => rows.Skip(1).Select(r => r[c.i]).ToArray());

    static List<string[]> ParseCsv(string csv)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < csv.Length; i++)
        {
            char c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                rows.Add([.. row]); row.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add([.. row]); }
        return rows;
    }

    public static double Number(string text) => double.Parse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
