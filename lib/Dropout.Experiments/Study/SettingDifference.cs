using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dropout.Experiments.Study;

/// <summary>One setting that differs between a results file and the current request.</summary>
public sealed record SettingDifference(string Name, string InFile, string Requested)
{
    /// <summary>"epochs is 5 in the file but 10 now".</summary>
    public override string ToString() => $"{Name} is {InFile} in the file but {Requested} now";
}
