namespace Dropout.Notebooks.Runner.Documents;

/// <summary>
/// A failed cell, as Jupyter records it. <paramref name="Name"/> is <c>Error</c> when the kernel reported it (as the
/// released kernel writes), else the runner's <c>CellTimeout</c> / <c>Interrupted</c>; <paramref name="Value"/> is the
/// message (a compilation error's diagnostics included).
/// </summary>
public sealed record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback) : CellOutput;
