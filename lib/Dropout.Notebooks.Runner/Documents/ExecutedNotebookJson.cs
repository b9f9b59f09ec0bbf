using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dropout.Notebooks.Runner.Html;

namespace Dropout.Notebooks.Runner.Documents;

/// <summary>
/// The executed notebook as nbformat 4 JSON, written as Jupyter writes it (keys sorted, one-space indent, multi-line
/// text as lists of lines, non-ASCII kept). Metadata is kept; the injected cell is tagged <c>injected-parameters</c>.
/// Before the first chart, an extra <c>display_data</c> marked <see cref="OfflinePlotly.MetadataKey"/> carries plotly.js
/// so that the charts draw offline.
/// </summary>
public static class ExecutedNotebookJson
{
    /// <summary>The notebook JSON text.</summary>
    public static string Write(NotebookDocument document, IReadOnlyList<ExecutedCell> cells)
    {
        var root = (JsonObject)document.Root.DeepClone();
        int minor = root["nbformat_minor"] is JsonValue v && v.TryGetValue(out int m) ? m : 0;
        var cellArray = new JsonArray();
        bool plotlyWritten = false;
        foreach (var cell in cells)
        {
            JsonObject json;
            if (cell.Source is { } source)
                json = (JsonObject)source.Json.DeepClone();
            else
            {
                json = new JsonObject
                {
                    ["cell_type"] = "code",
                    ["metadata"] = new JsonObject
                    {
                        ["tags"] = new JsonArray(NotebookParameters.InjectedTag),
                        ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
                        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
                    },
                    ["source"] = Lines(cell.Code),
                };
                if (minor >= 5) json["id"] = NotebookParameters.InjectedTag;
            }
            if (cell.CellType == "code")
            {
                json["execution_count"] = cell.ExecutionCount;
                var outputs = new JsonArray();
                foreach (var output in cell.Outputs)
                {
                    if (output is DisplayOutput { IsChart: true } && !plotlyWritten)
                    {
                        outputs.Add(PlotlyLoader());
                        plotlyWritten = true;
                    }
                    outputs.Add(Output(output, cell.ExecutionCount));
                }
                json["outputs"] = outputs;
            }
            cellArray.Add(json);
        }
        root["cells"] = cellArray;

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
               {
                   Indented = true,
                   IndentSize = 1,
                   Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
            WriteSorted(writer, root);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    static JsonObject PlotlyLoader() => new()
    {
        ["output_type"] = "display_data",
        ["data"] = new JsonObject { ["text/html"] = Lines(OfflinePlotly.LoaderHtml) },
        ["metadata"] = new JsonObject { [OfflinePlotly.MetadataKey] = OfflinePlotly.PlotlyJsVersion },
    };

    static JsonObject Output(CellOutput output, int? executionCount) => output switch
    {
        StreamOutput s => new JsonObject { ["output_type"] = "stream", ["name"] = s.Name, ["text"] = Lines(s.Text) },
        ErrorOutput e => new JsonObject
        {
            ["output_type"] = "error", ["ename"] = e.Name, ["evalue"] = e.Value,
            ["traceback"] = new JsonArray(e.Traceback.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
        },
        DisplayOutput d => Display(d, executionCount),
        _ => throw new ArgumentOutOfRangeException(nameof(output), output, "unknown output kind"),
    };

    static JsonObject Display(DisplayOutput d, int? executionCount)
    {
        var data = new JsonObject();
        foreach (var (mime, text) in d.Data)
            data[mime] = mime == "application/json" && TryParseJson(text) is { } parsed ? parsed : Lines(text);
        var json = new JsonObject { ["output_type"] = d.IsResult ? "execute_result" : "display_data", ["data"] = data, ["metadata"] = new JsonObject() };
        if (d.IsResult) json["execution_count"] = executionCount;
        return json;
    }

    /// <summary>nbformat stores JSON data as JSON, not as text (as Jupyter does).</summary>
    static JsonNode? TryParseJson(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }

    /// <summary>Splits text into lines that keep their line ends, as nbformat stores multi-line strings.</summary>
    static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    static void WriteSorted(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                writer.WriteStartObject();
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteSorted(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a) WriteSorted(writer, item);
                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
