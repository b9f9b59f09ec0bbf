namespace Dropout.Notebooks.Runner.Documents;

/// <summary>Text a cell wrote to the console; <paramref name="Name"/> is <c>stdout</c> or <c>stderr</c>.</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput;
