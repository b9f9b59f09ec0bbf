using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dropout.Experiments.Study;

/// <summary>A results file was made with other settings than the ones asked for; it is never mixed.</summary>
public sealed class StudySettingsMismatchException(string message, IReadOnlyList<SettingDifference> differences) : Exception(message)
{
    /// <summary>The settings that differ.</summary>
    public IReadOnlyList<SettingDifference> Differences { get; } = differences;
}
