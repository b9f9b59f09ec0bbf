using System.Text.Json.Nodes;

namespace Dropout.Notebooks.Runner.Documents;

/// <summary>One cell of a notebook; <paramref name="Number"/> is 1-based, <paramref name="Json"/> as read.</summary>
public sealed record NotebookCell(int Number, string CellType, string Source, JsonObject Json)
{
    /// <summary>The cell's metadata tags (<c>metadata.tags</c>), empty when it has none.</summary>
    public IReadOnlyList<string> Tags => Json["metadata"]?["tags"] is JsonArray tags
        ? tags.Select(t => t is JsonValue v && v.TryGetValue(out string? s) ? s : "").ToList()
        : [];

    /// <summary>The cell's language as Polyglot Notebooks records it; <c>csharp</c> when the cell does not say.</summary>
    public string Language =>
        StringAt(Json["metadata"]?["polyglot_notebook"]?["kernelName"])
        ?? StringAt(Json["metadata"]?["dotnet_interactive"]?["language"])
        ?? "csharp";

    static string? StringAt(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
