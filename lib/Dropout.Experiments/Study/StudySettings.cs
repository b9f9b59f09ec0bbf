using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dropout.Experiments.Platform;
using Dropout.Training;

namespace Dropout.Experiments.Study;

/// <summary>
/// What makes two runs of one (pair, seed) comparable. A results file holds one setting only, stored beside it as
/// <c>results.csv.settings.json</c> (<see cref="SidecarPath"/>), since the CSV holds exactly its nine columns.
/// </summary>
/// <param name="Model">"concise" (nn.Dropout) or "scratch" (dropout_layer).</param>
/// <param name="Hidden">Units in each of the two hidden layers (d2l: 256).</param>
/// <param name="Lr">SGD learning rate (d2l: 0.5).</param>
/// <param name="TrainLimit">Only the first N training images, or null for all 60,000.</param>
/// <param name="TestLimit">Only the first N test images, or null for all 10,000.</param>
public sealed partial record StudySettings(string Model, int Hidden, int NumEpochs, double Lr, int BatchSize, int? TrainLimit, int? TestLimit)
{
    /// <summary>The two models a study can train.</summary>
    public static IReadOnlyList<string> Models { get; } = ["concise", "scratch"];

    /// <summary>The source's setting: d2l's concise model and recipe, all data.</summary>
    public static StudySettings Source { get; } = new("concise", 256, 10, 0.5, 256, null, null);

    /// <summary>What is appended to the CSV's path to name its settings file.</summary>
    public const string SidecarSuffix = ".settings.json";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Every setting must be in the file (a missing one is not taken for 0), and model must not be null.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>The settings file of the results file <paramref name="csvPath"/>: beside the file a write lands on (a symbolic link's target).</summary>
    public static string SidecarPath(string csvPath) => FileNode.FinalPath(csvPath) + SidecarSuffix;

    /// <summary>The widest hidden layer: 8192 units make a 256 MiB hidden-to-hidden matrix; training needs several times that.</summary>
    public const int MaxHidden = 8192;

    /// <summary>The training recipe of each run: d2l's epochs, learning rate and batch size.</summary>
    public TrainingSettings Training => new(NumEpochs, Lr, BatchSize);

    /// <summary>Checks every setting, as every settings record does (<see cref="TrainingSettings.Require"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting that cannot be trained; the message names it.</exception>
    public void Validate()
    {
        TrainingSettings.Require(Models.Contains(Model), nameof(Model), Model, $"one of {string.Join(", ", Models)}");
        TrainingSettings.Require(Hidden is >= 1 and <= MaxHidden, nameof(Hidden), Hidden, $"between 1 and {MaxHidden:N0}");
        Training.Validate();
        TrainingSettings.Require(TrainLimit is null or >= 1, nameof(TrainLimit), TrainLimit ?? 0, "at least 1");
        TrainingSettings.Require(TestLimit is null or >= 1, nameof(TestLimit), TestLimit ?? 0, "at least 1");
    }

    /// <summary>Each setting as (name, value) in a stable text form ("all" for no data limit).</summary>
    public IReadOnlyList<(string Name, string Value)> Describe() =>
    [
        ("model", Model),
        ("hidden", Hidden.ToString(CultureInfo.InvariantCulture)),
        ("num_epochs", NumEpochs.ToString(CultureInfo.InvariantCulture)),
        ("lr", Lr.ToString("R", CultureInfo.InvariantCulture)),
        ("batch_size", BatchSize.ToString(CultureInfo.InvariantCulture)),
        ("train_limit", TrainLimit?.ToString(CultureInfo.InvariantCulture) ?? "all"),
        ("test_limit", TestLimit?.ToString(CultureInfo.InvariantCulture) ?? "all"),
    ];

    /// <summary>"model=concise hidden=256 num_epochs=10 lr=0.5 batch_size=256 train_limit=all test_limit=all".</summary>
    public override string ToString() => string.Join(" ", Describe().Select(d => $"{d.Name}={d.Value}"));

    /// <summary>The settings that differ: name, the value in <paramref name="stored"/>, the value here.</summary>
    public IReadOnlyList<SettingDifference> DifferencesFrom(StudySettings stored) =>
        stored.Describe().Zip(Describe())
            .Where(pair => pair.First.Value != pair.Second.Value)
            .Select(pair => new SettingDifference(pair.First.Name, pair.First.Value, pair.Second.Value))
            .ToList();

    /// <summary>The settings as JSON (snake_case names, null for no limit).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads settings written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">Not such JSON; the message names <paramref name="source"/>.</exception>
    public static StudySettings FromJson(string json, string source)
    {
        try
        {
            var settings = JsonSerializer.Deserialize<StudySettings>(json, Json)
                ?? throw new InvalidDataException($"{source} holds no settings.");
            settings.Validate();
            return settings;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            string why = e is JsonException && MissingSettings().Match(e.Message) is { Success: true } missing
                ? $"it lacks {missing.Groups[1].Value.Trim()}"
                : CleanMessage(e);
            throw new InvalidDataException($"{source} is not a study settings file ({why}). Delete it together with its CSV, or choose another --out.", e);
        }
    }

    /// <summary>System.Text.Json's "missing required properties including: 'lr'." → "'lr'".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"missing required properties including: (.*?)\.?$")]
    private static partial System.Text.RegularExpressions.Regex MissingSettings();

    static string CleanMessage(Exception e) => e.Message.Split(" Path:")[0].TrimEnd('.');

    /// <summary>The settings stored next to <paramref name="csvPath"/>, or null when there is no settings file.</summary>
    public static StudySettings? ReadSidecar(string csvPath)
    {
        string path = SidecarPath(csvPath);
        return File.Exists(path) ? FromJson(File.ReadAllText(path), path) : null;
    }

    /// <summary>Writes the settings next to <paramref name="csvPath"/>, atomically (temp file, then rename).</summary>
    public void WriteSidecar(string csvPath) => AtomicFile.WriteAllText(SidecarPath(csvPath), ToJson() + "\n");
}
