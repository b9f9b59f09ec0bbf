using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Training;

/// <summary>d2l's checks after <c>train_ch3</c>: <c>assert train_loss &lt; 0.5</c>, <c>assert 1 &gt;= train_acc &gt; 0.7</c>,
/// <c>assert 1 &gt;= test_acc &gt; 0.7</c>.</summary>
public sealed record D2lCheck(IReadOnlyList<D2lCondition> Conditions)
{
    /// <summary>True when every condition holds.</summary>
    public bool Passed => Conditions.All(c => c.Holds);

    /// <summary>The failing conditions with their values, or "passed".</summary>
    public override string ToString() => Passed
        ? "d2l check passed: " + string.Join(", ", Conditions.Select(c => $"{c.Name} = {c.Value:0.####} ({c.Requirement})"))
        : "d2l check FAILED: " + string.Join(", ", Conditions.Where(c => !c.Holds).Select(c => $"{c.Name} = {c.Value:0.####}, expected {c.Requirement}"));
}
