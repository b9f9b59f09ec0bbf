using System.Text;

namespace Dropout.Experiments.Charts;

/// <summary>A plain-text table, the console's counterpart of a chart: header, rule, rows, columns two spaces apart.</summary>
public static class TextTable
{
    /// <summary>Formats <paramref name="rows"/> under <paramref name="headers"/>; every row must have as many cells as there are headers.</summary>
    /// <param name="leftAligned">Which columns (0-based) are left-aligned, the rest right-aligned; null for the first one only.</param>
    public static string Format(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, IReadOnlySet<int>? leftAligned = null)
    {
        var all = rows.ToList();
        foreach (var row in all)
            if (row.Count != headers.Count)
                throw new ArgumentException($"a row has {row.Count} cells but the table has {headers.Count} columns: {string.Join(" | ", row)}", nameof(rows));
        leftAligned ??= new HashSet<int> { 0 };
        int[] widths = headers.Select((h, i) => all.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            text.AppendLine(string.Join("  ", cells.Select((c, i) => leftAligned.Contains(i) ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
        Line(headers);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in all) Line(row);
        return text.ToString();
    }
}
