namespace Dropout.Notebooks.Runner.Documents;

/// <summary>
/// A value the kernel showed: the cell's return value (<paramref name="IsResult"/>, <c>execute_result</c>) or a
/// <c>display_data</c>. <paramref name="Data"/> maps MIME types to the kernel's text, unchanged. <paramref name="IsChart"/>
/// marks a Plotly.NET chart, whose <c>text/html</c> loads plotly.js through require.js (the offline writers provide it).
/// <paramref name="DisplayId"/> is the kernel's value id, which later updates refer to.
/// </summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data, bool IsResult, bool IsChart, string? DisplayId = null) : CellOutput;
