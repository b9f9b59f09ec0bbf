namespace Dropout.Cli.Workers;

/// <summary>What a worker process said or did, as the study's main loop sees it.</summary>
/// <param name="Worker">The worker.</param>
/// <param name="Message">A message from its stdout, or null.</param>
/// <param name="ExitCode">Its exit code once it has ended (after its last message), or null.</param>
/// <param name="ProtocolError">A stdout line that was not a message, or null.</param>
internal sealed record WorkerEvent(WorkerProcess Worker, WorkerMessage? Message, int? ExitCode = null, string? ProtocolError = null);
