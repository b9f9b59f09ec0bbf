using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dropout.Notebooks.Engine;

namespace Dropout.Tests.Engine;

/// <summary>The engine's tests share process-wide state (formatter registry, console), so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineCollection
{
    public const string Name = "Notebook engine";
}

/// <summary>Fixture notebooks, temporary notebooks and checks on what the engine wrote.</summary>
static class EngineTestSupport
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "notebooks", name);

    /// <summary>A new, empty folder of its own under the system temp folder (unique across concurrent test runs).</summary>
    public static string TempDirectory() => Directory.CreateTempSubdirectory("dropout-engine-tests-").FullName;

    /// <summary>
    /// Writes a Polyglot C# notebook whose code cells are <paramref name="cells"/>; a cell starting with
    /// "[parameters]" is tagged, one starting with "[markdown]" is a markdown cell.
    /// </summary>
    public static string WriteNotebook(string directory, string name, params string[] cells)
    {
        var array = new JsonArray();
        foreach (string cell in cells)
        {
            if (cell.StartsWith("[markdown]", StringComparison.Ordinal))
            {
                array.Add(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = cell["[markdown]".Length..] });
                continue;
            }
            bool parameters = cell.StartsWith("[parameters]", StringComparison.Ordinal);
            var metadata = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } };
            if (parameters) metadata["tags"] = new JsonArray("parameters");
            array.Add(new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = metadata, ["outputs"] = new JsonArray(),
                ["source"] = parameters ? cell["[parameters]".Length..] : cell,
            });
        }
        var notebook = new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" } },
            ["nbformat"] = 4, ["nbformat_minor"] = 2,
        };
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    public static async Task<NotebookResult> RunOne(string notebook, Func<NotebookRunOptions, NotebookRunOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var options = new NotebookRunOptions { Notebooks = [notebook], OutputDirectory = TempDirectory() };
        if (configure is not null) options = configure(options);
        var run = await NotebookRunner.RunAsync(options, null, cancellationToken);
        return Assert.Single(run.Notebooks);
    }

    /// <summary>The outputs of the executed notebook's cell at 1-based position <paramref name="number"/>, read back from the written file.</summary>
    public static JsonArray WrittenOutputs(JsonNode executed, int number) => (JsonArray)executed["cells"]![number - 1]!["outputs"]!;

    public static string Text(JsonNode? multiline) => multiline switch
    {
        JsonArray a => string.Concat(a.Select(l => l!.GetValue<string>())),
        null => "",
        _ => multiline.GetValue<string>(),
    };

    /// <summary>Validates a notebook with Debian's python3-nbformat; returns its complaint, or "" when valid.</summary>
    public static string NbformatComplaints(string path)
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), $"{python} is missing; run `bash .ci/setup` (it installs python3-nbformat).");
        var start = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? "" : error;
    }
}
