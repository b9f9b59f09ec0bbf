namespace Dropout.Notebooks.Runner.Documents;

/// <summary>One output of an executed code cell, in the shapes nbformat 4 knows.</summary>
public abstract record CellOutput;
