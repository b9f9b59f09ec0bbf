using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Dropout.Tests.Runner;

/// <summary>
/// Talks to a .NET Interactive kernel over the transport VS Code uses (<c>[vscode] stdio</c>): one JSON command per
/// line on its standard input, one JSON event per line on its standard output.
/// </summary>
sealed class StdioKernelClient : IDisposable
{
    readonly Process _process;
    readonly BlockingCollection<JsonNode> _events = new();
    readonly System.Text.StringBuilder _stderr = new();
    int _token;

    public StdioKernelClient(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { _events.CompleteAdding(); return; }
            if (e.Data.StartsWith('{') && TryParse(e.Data) is { } json) _events.Add(json);
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Waits for the kernel's <c>KernelReady</c> event.</summary>
    public void WaitUntilReady(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && _events.TryTake(out var e, timeout - clock.Elapsed))
            if ((string?)e["eventType"] == "KernelReady") return;
        Assert.Fail($"the kernel did not become ready within {timeout}; stderr:\n{Stderr}");
    }

    /// <summary>Submits <paramref name="code"/> to the C# kernel; returns whether it succeeded and every event of the command.</summary>
    public (bool Succeeded, string? Failure, IReadOnlyList<JsonNode> Events) Submit(string code, TimeSpan timeout)
    {
        string token = $"test-{++_token}";
        var command = new JsonObject
        {
            ["token"] = token, ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" },
        };
        _process.StandardInput.WriteLine(command.ToJsonString());
        _process.StandardInput.Flush();
        var mine = new List<JsonNode>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && _events.TryTake(out var e, timeout - clock.Elapsed))
        {
            if ((string?)e["command"]?["token"] != token) continue;
            mine.Add(e);
            switch ((string?)e["eventType"])
            {
                case "CommandSucceeded": return (true, null, mine);
                case "CommandFailed": return (false, (string?)e["event"]?["message"], mine);
            }
        }
        if (_events.IsCompleted) return (false, $"the kernel process exited; stderr:\n{Stderr}", mine);
        Assert.Fail($"no answer to '{code}' within {timeout}; stderr:\n{Stderr}");
        return default;
    }

    /// <summary>The formatted values of the display events among <paramref name="events"/>, each as MIME type → text.</summary>
    public static IReadOnlyList<Dictionary<string, string>> Shown(IEnumerable<JsonNode> events) =>
        events.Where(e => (string?)e["eventType"] is "ReturnValueProduced" or "DisplayedValueProduced")
            .Select(e => e["event"]!["formattedValues"]!.AsArray().ToDictionary(v => (string)v!["mimeType"]!, v => (string)v!["value"]!))
            .ToList();

    static JsonNode? TryParse(string line)
    {
        try { return JsonNode.Parse(line); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    public void Dispose()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { }
        if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
