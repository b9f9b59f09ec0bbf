using System.Text.Json;
using Dropout.Experiments.Platform;
using Dropout.Platform;

namespace Dropout.Notebooks.Runner.Execution;

/// <summary>
/// What the <c>notebooks</c> command asks a kernel process, as a JSON file: run one notebook, write its executed copy and
/// page, and write a <see cref="NotebookResult"/> to <paramref name="ResultPath"/>.
/// </summary>
/// <param name="InPlace">Also overwrite the source notebook with its executed copy.</param>
public sealed record KernelJob(
    string Notebook, string OutputDirectory, bool Quick, IReadOnlyList<KeyValuePair<string, string>> Parameters,
    double? CellTimeoutSeconds, bool InPlace, string ResultPath)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The job as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a job written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not such a job.</exception>
    public static KernelJob Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<KernelJob>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path} holds no kernel job.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a kernel job ({e.Message}).", e);
        }
    }

    /// <summary>Writes <paramref name="result"/> where the job says, atomically.</summary>
    public void WriteResult(NotebookResult result)
    {
        string json = JsonSerializer.Serialize(result, Json);
        lock (ParentWatch.Writing) AtomicFile.WriteAllText(ResultPath, json);
    }

    /// <summary>The result the kernel process wrote, or null when it wrote none (it died first).</summary>
    public NotebookResult? ReadResult()
    {
        if (!File.Exists(ResultPath)) return null;
        try { return JsonSerializer.Deserialize<NotebookResult>(File.ReadAllText(ResultPath), Json); }
        catch (JsonException) { return null; }
    }
}
