using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using TorchSharp;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// Turns values into notebook outputs the way the C# kernel does, through the kernel's own formatter
/// library (Microsoft.DotNet.Interactive.Formatting): each of the value type's preferred MIME types plus
/// <c>text/plain</c>. On top of the library's defaults, the engine registers what Polyglot's extensions
/// would bring: Plotly charts as interactive plots, tensors as text, and sequences of flat records
/// as one table with a column per property. Formatters a notebook registers itself take precedence.
/// </summary>
public static class ValueFormatter
{
    const string Html = "text/html";
    const string PlainText = "text/plain";

    /// <summary>
    /// Resets the formatter library to its defaults plus the engine's additions, and TorchSharp's print
    /// options and defaults (<see cref="TorchGlobals"/>), as a fresh kernel starts; called before each
    /// notebook so one notebook's registrations and settings never reach the next.
    /// </summary>
    public static void ResetForNewNotebook()
    {
        TorchGlobals.Restore();
        Formatter.ResetToDefault();
        Formatter.SetPreferredMimeTypesFor(typeof(torch.Tensor), PlainText);
        Formatter.Register<torch.Tensor>((tensor, writer) =>
            writer.Write(tensor.ToString(TensorStringStyle.Default, "g5", 100, CultureInfo.InvariantCulture, "\n")), PlainText);
        Formatter.Register(typeof(IEnumerable), (value, context) => RecordTable.TryWrite(value, context.Writer), Html);
    }

    /// <summary>The output for <paramref name="value"/>; <paramref name="mimeTypes"/> restricts the formats when not empty.</summary>
    public static DisplayOutput Format(object? value, bool isResult, IReadOnlyList<string>? mimeTypes = null)
    {
        if (value is GenericChart chart)
            return new DisplayOutput(new Dictionary<string, string> { [Html] = PlotlyCharts.ChartHtml(chart) }, isResult, IsChart: true);

        var types = mimeTypes is { Count: > 0 }
            ? mimeTypes.ToList()
            : value is null ? [PlainText] : Formatter.GetPreferredMimeTypesFor(value.GetType()).ToList();
        if (mimeTypes is not { Count: > 0 } && !types.Contains(PlainText)) types.Add(PlainText);
        var data = new Dictionary<string, string>();
        foreach (string type in types.Distinct())
            data[type] = value is null ? Formatter.NullString : Formatter.ToDisplayString(value, type);
        return new DisplayOutput(data, isResult, IsChart: false);
    }

    /// <summary>
    /// A sequence whose items are all one type with only simple public properties (numbers, text,
    /// dates, booleans, enums), written as an HTML table with one column per property.
    /// </summary>
    static class RecordTable
    {
        public static bool TryWrite(object value, TextWriter writer)
        {
            if (value is string || value is IDictionary) return false;
            var items = ((IEnumerable)value).Cast<object?>().Take(Formatter.ListExpansionLimit + 1).ToList();
            if (items.Count == 0 || items.Any(i => i is null)) return false;
            Type type = items[0]!.GetType();
            if (IsSimple(type) || items.Any(i => i!.GetType() != type)) return false;
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead).ToList();
            if (properties.Count == 0 || !properties.All(p => IsSimple(p.PropertyType))) return false;

            bool more = items.Count > Formatter.ListExpansionLimit;
            writer.Write("<table class=\"records\"><thead><tr>");
            foreach (var p in properties) writer.Write($"<th>{WebUtility.HtmlEncode(p.Name)}</th>");
            writer.Write("</tr></thead><tbody>");
            foreach (object? item in items.Take(Formatter.ListExpansionLimit))
            {
                writer.Write("<tr>");
                foreach (var p in properties)
                    writer.Write($"<td>{WebUtility.HtmlEncode(Formatter.ToDisplayString(p.GetValue(item), PlainText))}</td>");
                writer.Write("</tr>");
            }
            writer.Write("</tbody></table>");
            if (more) writer.Write($"<p><i>(first {Formatter.ListExpansionLimit} rows shown)</i></p>");
            return true;
        }

        static bool IsSimple(Type t)
        {
            t = Nullable.GetUnderlyingType(t) ?? t;
            return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime)
                || t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t == typeof(Guid);
        }
    }
}
