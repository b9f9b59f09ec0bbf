namespace Dropout.Notebooks.Runner.Documents;

/// <summary>
/// A value the kernel showed: the cell's return value (<paramref name="IsResult"/>, nbformat's
/// <c>execute_result</c>) or a displayed value (<c>display_data</c>). <paramref name="Data"/> maps MIME types
/// to the kernel's formatted text, exactly as the kernel produced it. <paramref name="IsChart"/> marks a
/// Plotly.NET chart (its <c>text/html</c> loads plotly.js through require.js, which the offline writers
/// provide); <paramref name="DisplayId"/> is the kernel's value id, which later updates refer to.
/// </summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data, bool IsResult, bool IsChart, string? DisplayId = null) : CellOutput;
