namespace Dropout.Tests;

/// <summary>Tests that measure process-wide state (live tensors, memory) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
