namespace Dropout.Cli;

/// <summary>
/// A command stopped at a safe point after Ctrl+C or SIGTERM; its message says what was kept and how to resume, and
/// <see cref="CliRunner"/> prints it in place of the generic interruption line.
/// </summary>
internal sealed class CommandInterruptedException(string message, CancellationToken token) : OperationCanceledException(message, token);
