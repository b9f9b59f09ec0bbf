using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dropout.Notebooks.Runner.Documents;

/// <summary>An nbformat 4 notebook, its JSON kept whole so that unknown fields reach the executed copy.</summary>
public sealed class NotebookDocument
{
    NotebookDocument(string path, JsonObject root, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        Root = root;
        Cells = cells;
    }

    /// <summary>The notebook's full path.</summary>
    public string Path { get; }

    /// <summary>The whole notebook JSON, as read.</summary>
    public JsonObject Root { get; }

    /// <summary>The cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>Reads and checks a notebook; each error names the file and what is wrong.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid nbformat 4 notebook.</exception>
    public static NotebookDocument Load(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Notebook not found: {full}", full);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(full));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{full} is not a valid .ipynb: its JSON is malformed ({e.Message})", e);
        }
        if (node is not JsonObject root)
            throw new InvalidDataException($"{full} is not a valid .ipynb: the top level must be a JSON object.");
        if (root["nbformat"] is not JsonValue format || !format.TryGetValue(out int major) || major != 4)
            throw new InvalidDataException($"{full} is not a valid .ipynb: only nbformat 4 is supported (found {root["nbformat"]?.ToJsonString() ?? "no nbformat field"}).");
        if (root["cells"] is not JsonArray cellArray)
            throw new InvalidDataException($"{full} is not a valid .ipynb: it has no \"cells\" array.");
        if (root["metadata"] is not JsonObject)
            throw new InvalidDataException($"{full} is not a valid .ipynb: it has no \"metadata\" object.");

        var cells = new List<NotebookCell>();
        for (int i = 0; i < cellArray.Count; i++)
        {
            if (cellArray[i] is not JsonObject cell)
                throw new InvalidDataException($"{full} is not a valid .ipynb: cell {i + 1} is not a JSON object.");
            string type = cell["cell_type"] is JsonValue t && t.TryGetValue(out string? s) ? s : "";
            if (type is not ("code" or "markdown" or "raw"))
                throw new InvalidDataException($"{full} is not a valid .ipynb: cell {i + 1} has cell_type \"{type}\" (expected code, markdown or raw).");
            cells.Add(new NotebookCell(i + 1, type, ReadMultiline(cell["source"], full, i + 1), cell));
        }
        return new NotebookDocument(full, root, cells);
    }

    static string ReadMultiline(JsonNode? node, string path, int cellNumber) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonArray a => string.Concat(a.Select(line => line is JsonValue lv && lv.TryGetValue(out string? ls)
            ? ls
            : throw new InvalidDataException($"{path} is not a valid .ipynb: cell {cellNumber} has a non-string source line."))),
        _ => throw new InvalidDataException($"{path} is not a valid .ipynb: cell {cellNumber} has no \"source\"."),
    };
}
