using System.Reflection;
using TorchSharp;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// TorchSharp keeps its print options and defaults in static fields of <c>torch</c>
/// (<c>torch.set_printoptions</c>, <c>set_default_dtype</c>, <c>set_default_device</c>). A kernel starts each
/// notebook in a fresh process; the engine runs them in one, so it restores these fields before each
/// notebook: one notebook's <c>set_printoptions(style: numpy)</c> must not change how the next prints.
/// </summary>
static class TorchGlobals
{
    /// <summary>The static fields of <c>torch</c> that notebooks change through public setters.</summary>
    static readonly string[] FieldNames =
        ["_style", "floatFormat", "newLine", "lineWidth", "maxRows", "maxColumns", "default_dtype", "default_device"];

    static readonly (FieldInfo Field, object? Value)[] Defaults = FieldNames
        .Select(name => typeof(torch).GetField(name, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
        .OfType<FieldInfo>()
        .Select(field => (field, field.GetValue(null)))
        .ToArray();

    /// <summary>Puts every field back to the value it had when the engine started.</summary>
    public static void Restore()
    {
        foreach (var (field, value) in Defaults) field.SetValue(null, value);
    }
}
