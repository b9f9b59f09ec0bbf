namespace Dropout.Notebooks.Engine.Scripting;

/// <summary>
/// <c>x.Display()</c>, as the C# kernel offers it; the namespace is imported into every cell.
/// </summary>
public static class DisplayExtensions
{
    /// <summary>Shows <paramref name="value"/> as an output of the running cell; see <see cref="ScriptGlobals.display"/>.</summary>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes);
}
