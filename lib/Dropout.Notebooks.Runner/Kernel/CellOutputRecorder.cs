using System.Text;
using Dropout.Notebooks.Runner.Documents;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Plotly.NET;

namespace Dropout.Notebooks.Runner.Kernel;

/// <summary>
/// Turns a kernel's events into the current cell's outputs as Polyglot Notebooks (VS Code) saves them: displayed values
/// keep every MIME type the kernel formatted and their value id; an update replaces the output with that id in whichever
/// cell it is (or is appended when none has it, as VS Code does); consecutive console writes become one stream output.
/// The cell's own <c>CommandFailed</c> is added by its sender, which knows the command. Diagnostics are not outputs (a
/// compilation error's message carries them). Thread-safe: cells write from their own threads.
/// </summary>
sealed class CellOutputRecorder : IDisposable
{
    readonly object _gate = new();
    readonly List<List<CellOutput>> _cells;
    /// <summary>Each cell's trailing stream text, appended in place: n lines cost linear time, not n² copies.</summary>
    readonly Dictionary<int, StringBuilder> _openStreams = [];
    readonly IDisposable _subscription;
    int _current = -1;

    /// <summary>Starts recording <paramref name="kernel"/>'s events for a notebook of <paramref name="cellCount"/> cells.</summary>
    public CellOutputRecorder(Microsoft.DotNet.Interactive.Kernel kernel, int cellCount)
    {
        _cells = Enumerable.Range(0, cellCount).Select(_ => new List<CellOutput>()).ToList();
        _subscription = kernel.KernelEvents.Subscribe(Record);
    }

    /// <summary>Called with each piece of console text a cell writes (<c>stdout</c> or <c>stderr</c>), as it arrives.</summary>
    public event Action<string, string>? TextWritten;

    /// <summary>Sends what arrives from now on to the cell at <paramref name="index"/> (0-based, in the planned cells).</summary>
    public void Begin(int index)
    {
        lock (_gate) _current = index;
    }

    /// <summary>Adds an output the runner itself produced (a timeout, an interruption) to the current cell.</summary>
    public void Add(CellOutput output)
    {
        lock (_gate)
            if (_current >= 0) AddLocked(_current, output);
    }

    /// <summary>A copy of the outputs of the cell at <paramref name="index"/>.</summary>
    public IReadOnlyList<CellOutput> Outputs(int index)
    {
        lock (_gate)
        {
            var outputs = _cells[index].ToList();
            if (_openStreams.TryGetValue(index, out var text)) outputs[^1] = ((StreamOutput)outputs[^1]) with { Text = text.ToString() };
            return outputs;
        }
    }

    /// <summary>Records one of the kernel's events (subscribed to its event stream; tests call it directly).</summary>
    internal void Record(KernelEvent e)
    {
        switch (e)
        {
            case StandardOutputValueProduced o:
                Stream("stdout", PlainText(o));
                break;
            case StandardErrorValueProduced o:
                Stream("stderr", PlainText(o));
                break;
            case ErrorProduced o:
                Append(new ErrorOutput("Error", o.Message, Lines(o.Message)));
                break;
            case DisplayedValueUpdated o:
                Update(o);
                break;
            case DisplayEvent o when Display(o) is { } display:
                Append(display);
                break;
        }
    }

    static DisplayOutput? Display(DisplayEvent e)
    {
        var data = e.FormattedValues.Where(v => !v.SuppressDisplay).ToDictionary(v => v.MimeType, v => v.Value);
        return data.Count == 0 ? null : new DisplayOutput(data, IsResult: e is ReturnValueProduced, IsChart: e.Value is GenericChart, DisplayId: e.ValueId);
    }

    void Update(DisplayedValueUpdated e)
    {
        if (Display(e) is not { } updated) return;
        lock (_gate)
        {
            foreach (var outputs in _cells)
            {
                int at = outputs.FindIndex(o => o is DisplayOutput { DisplayId: { } id } && id == e.ValueId);
                if (at < 0) continue;
                var original = (DisplayOutput)outputs[at];
                outputs[at] = original with { Data = updated.Data, IsChart = updated.IsChart };
                return;
            }
            if (_current >= 0) AddLocked(_current, updated);
        }
    }

    void Stream(string name, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_current < 0) return;
            var outputs = _cells[_current];
            if (outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == name && _openStreams.TryGetValue(_current, out var open))
                open.Append(text);
            else
            {
                CloseStream(_current);
                outputs.Add(new StreamOutput(name, ""));
                _openStreams[_current] = new StringBuilder(text);
            }
        }
        TextWritten?.Invoke(name, text);
    }

    void Append(CellOutput output)
    {
        lock (_gate)
            if (_current >= 0) AddLocked(_current, output);
    }

    /// <summary>Adds a non-stream output to cell <paramref name="index"/>: the stream it ended with is closed (its text kept).</summary>
    void AddLocked(int index, CellOutput output)
    {
        CloseStream(index);
        _cells[index].Add(output);
    }

    /// <summary>Writes the text of the stream cell <paramref name="index"/> ends with into its output; it takes no more text.</summary>
    void CloseStream(int index)
    {
        var outputs = _cells[index];
        if (_openStreams.Remove(index, out var text)) outputs[^1] = ((StreamOutput)outputs[^1]) with { Text = text.ToString() };
    }

    static string PlainText(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? e.Value?.ToString() ?? "";

    internal static List<string> Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

    public void Dispose() => _subscription.Dispose();
}
