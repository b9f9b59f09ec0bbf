namespace Dropout.Notebooks.Engine;

/// <summary>One output of an executed code cell, in the shapes nbformat 4 knows.</summary>
public abstract record CellOutput;

/// <summary>Text a cell wrote to the console; <paramref name="Name"/> is <c>stdout</c> or <c>stderr</c>.</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>
/// A value shown by the cell: its last expression (<paramref name="IsResult"/>, nbformat's
/// <c>execute_result</c>) or an explicit <c>display(x)</c> (<c>display_data</c>).
/// <paramref name="Data"/> maps MIME types to their text; <paramref name="IsChart"/> marks a Plotly chart,
/// whose <c>text/html</c> needs plotly.js loaded once on the page.
/// </summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data, bool IsResult, bool IsChart) : CellOutput;

/// <summary>
/// A cell that failed: <paramref name="Name"/> is the exception type (or <c>CompilationError</c>,
/// <c>CellTimeout</c>, <c>Interrupted</c>), <paramref name="Value"/> its message, and
/// <paramref name="Traceback"/> the lines that say which cell failed and where.
/// </summary>
public sealed record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback) : CellOutput;
