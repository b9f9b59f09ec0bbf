using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Training;

/// <summary>One d2l end-of-training condition and the value it was judged on.</summary>
public sealed record D2lCondition(string Name, double Value, string Requirement, bool Holds);
