namespace Dropout.Cli;

/// <summary>A mistake in what the user asked for; its message says what was wrong and how to fix it (exit 2).</summary>
internal sealed class UserError(string message) : Exception(message);
