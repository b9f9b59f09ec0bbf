namespace Dropout.Notebooks.Engine;

/// <summary>
/// What every cell sees besides its own declarations: <c>display(x)</c>, as the C# kernel offers it.
/// </summary>
public sealed class ScriptGlobals
{
    /// <summary>
    /// Shows <paramref name="value"/> as an output of the running cell (charts as interactive plots,
    /// other values through the .NET Interactive formatters), optionally in the given MIME types only.
    /// </summary>
    /// <returns>A handle whose <see cref="DisplayedValue.Update"/> replaces what was shown.</returns>
#pragma warning disable IDE1006 // the kernel's name, lower case
    public DisplayedValue display(object? value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes);
#pragma warning restore IDE1006
}

/// <summary>A value shown by <c>display</c>; updating it replaces that output in place.</summary>
public sealed class DisplayedValue
{
    readonly CellOutputSink _sink;
    readonly int _index;
    readonly string[] _mimeTypes;

    DisplayedValue(CellOutputSink sink, int index, string[] mimeTypes)
    {
        _sink = sink;
        _index = index;
        _mimeTypes = mimeTypes;
    }

    internal static DisplayedValue Show(object? value, string[] mimeTypes)
    {
        var sink = CellOutputSink.Current.Value
            ?? throw new InvalidOperationException("display() was called outside a running notebook cell.");
        return new DisplayedValue(sink, sink.Add(ValueFormatter.Format(value, isResult: false, mimeTypes)), mimeTypes);
    }

    /// <summary>Replaces the shown value with <paramref name="value"/>.</summary>
    public void Update(object? value) => _sink.Replace(_index, ValueFormatter.Format(value, isResult: false, _mimeTypes));

    /// <inheritdoc/>
    public override string ToString() => "displayed value";
}
