using Dropout.Experiments.Study;
using Dropout.Training;

namespace Dropout.Cli;

/// <summary>
/// The training options <c>train</c> and <c>study</c> share, checked by the settings records themselves
/// (<see cref="TrainingSettings.Require"/>) before anything is loaded or written; a refusal names the option.
/// </summary>
internal static class TrainingOptions
{
    static readonly Dictionary<string, string> OptionOf = new()
    {
        [nameof(StudySettings.Model)] = "--model",
        [nameof(StudySettings.Hidden)] = "--hidden",
        [nameof(TrainingSettings.NumEpochs)] = "--epochs",
        [nameof(TrainingSettings.Lr)] = "--lr",
        [nameof(TrainingSettings.BatchSize)] = "--batch-size",
        [nameof(StudySettings.TrainLimit)] = "--train-limit",
        [nameof(StudySettings.TestLimit)] = "--test-limit",
    };

    /// <summary>Runs <paramref name="validate"/>; "NumEpochs must be ..." becomes the usage error "--epochs must be ...".</summary>
    /// <exception cref="UserError">A setting was refused.</exception>
    public static void Check(Action validate)
    {
        try { validate(); }
        catch (ArgumentOutOfRangeException e) when (e.ParamName is { } name && OptionOf.TryGetValue(name, out string? option))
        {
            throw new UserError(option + CliRunner.MessageOf(e)[name.Length..]);
        }
    }
}
