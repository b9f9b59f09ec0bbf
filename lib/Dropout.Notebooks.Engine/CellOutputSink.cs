namespace Dropout.Notebooks.Engine;

/// <summary>
/// Collects the outputs of one running cell in the order they happen: console text (consecutive writes
/// to the same stream merged into one output) and displayed values. Thread-safe: a cell may write from
/// any thread it starts.
/// </summary>
public sealed class CellOutputSink
{
    readonly object _gate = new();
    readonly List<CellOutput> _outputs = [];

    /// <summary>The sink of the cell running on this logical call context (flows into tasks it starts).</summary>
    internal static readonly AsyncLocal<CellOutputSink?> Current = new();

    /// <summary>Appends console text to stream <paramref name="name"/> (<c>stdout</c> or <c>stderr</c>).</summary>
    public void Write(string name, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_outputs.Count > 0 && _outputs[^1] is StreamOutput last && last.Name == name)
                _outputs[^1] = last with { Text = last.Text + text };
            else
                _outputs.Add(new StreamOutput(name, text));
        }
    }

    /// <summary>Appends an output and returns its position, for <see cref="Replace"/>.</summary>
    public int Add(CellOutput output)
    {
        lock (_gate)
        {
            _outputs.Add(output);
            return _outputs.Count - 1;
        }
    }

    /// <summary>Replaces the output at <paramref name="index"/> (a displayed value being updated).</summary>
    public void Replace(int index, CellOutput output)
    {
        lock (_gate) _outputs[index] = output;
    }

    /// <summary>The outputs so far.</summary>
    public IReadOnlyList<CellOutput> Snapshot()
    {
        lock (_gate) return _outputs.ToList();
    }
}
