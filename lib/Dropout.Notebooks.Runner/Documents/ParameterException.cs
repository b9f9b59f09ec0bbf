namespace Dropout.Notebooks.Runner.Documents;

/// <summary>A parameter override that cannot be applied; the message names the parameter and the fix.</summary>
public sealed class ParameterException(string message) : Exception(message);
