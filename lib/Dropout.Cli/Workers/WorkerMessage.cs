using System.Text.Json;
using System.Text.Json.Serialization;
using Dropout.Study;
using Dropout.Training;
using Dropout.Experiments.Study;

namespace Dropout.Cli.Workers;

/// <summary>
/// One line of the conversation between <c>study</c> and its <c>study-worker</c> processes, as JSON (snake_case,
/// numbers in shortest round-trip form, so a worker's metrics reach the results file bit for bit).
/// <list type="bullet">
/// <item>to a worker, on its stdin: <c>start</c> (settings, data folder, torch threads) once, then one
/// <c>run</c> (p1, p2, seed) at a time; closing stdin means "no more runs" when idle, "stop now" while training;</item>
/// <item>from a worker, on its stdout: <c>ready</c> once its data is loaded, an <c>epoch</c> after every epoch, <c>done</c>
/// with every epoch of a finished run, or <c>failed</c> (a usage error or a crash, with its message) before it exits.</item>
/// </list>
/// </summary>
internal sealed record WorkerMessage
{
    public const string Start = "start", Run = "run", Ready = "ready", Epoch = "epoch", Done = "done", Failed = "failed";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>One of <see cref="Start"/>, <see cref="Run"/>, <see cref="Ready"/>, <see cref="Epoch"/>, <see cref="Done"/>, <see cref="Failed"/>.</summary>
    public required string Type { get; init; }

    // start
    public StudySettings? Settings { get; init; }
    public string? Data { get; init; }
    public int? Threads { get; init; }

    // run, epoch, done
    public double? P1 { get; init; }
    public double? P2 { get; init; }
    public long? Seed { get; init; }
    public EpochMetrics? Metrics { get; init; }
    public IReadOnlyList<EpochMetrics>? Epochs { get; init; }

    // ready
    public int? Pid { get; init; }
    public long? TrainImages { get; init; }
    public long? TestImages { get; init; }

    // failed
    public bool? UsageError { get; init; }
    public string? Message { get; init; }

    /// <summary>The run a run/epoch/done message is about.</summary>
    [JsonIgnore]
    public SeededRun SeededRun =>
        P1 is double p1 && P2 is double p2 && Seed is long seed ? new SeededRun(new DropoutPair(p1, p2), (int)seed)
            : throw new InvalidDataException($"a '{Type}' message without p1, p2 and seed.");

    public static WorkerMessage ForRun(string type, SeededRun run) => new() { Type = type, P1 = run.Pair.P1, P2 = run.Pair.P2, Seed = run.Seed };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="InvalidDataException">Not a message.</exception>
    public static WorkerMessage Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkerMessage>(line, Json) ?? throw new InvalidDataException("an empty message.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a worker message ({e.Message}): '{(line.Length > 200 ? line[..200] + "..." : line)}'", e);
        }
    }
}
