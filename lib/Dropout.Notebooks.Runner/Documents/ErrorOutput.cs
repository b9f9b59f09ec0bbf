namespace Dropout.Notebooks.Runner.Documents;

/// <summary>
/// A cell that failed, as Jupyter records it: <paramref name="Name"/> is <c>Error</c> for a failure the kernel
/// reported (what the released kernel writes), or the runner's own <c>CellTimeout</c> / <c>Interrupted</c>;
/// <paramref name="Value"/> is the message (for a compilation error, the compiler's diagnostics) and
/// <paramref name="Traceback"/> the lines that say which cell failed and where.
/// </summary>
public sealed record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback) : CellOutput;
