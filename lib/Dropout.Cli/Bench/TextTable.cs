using System.Text;

namespace Dropout.Cli.Bench;

/// <summary>A plain-text table: a header row, a rule, then rows; the first column left-aligned, the others right-aligned.</summary>
public static class TextTable
{
    /// <summary>Formats <paramref name="rows"/> under <paramref name="headers"/>; every row must have as many cells as there are headers.</summary>
    public static string Format(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        foreach (var row in all)
            if (row.Count != headers.Count)
                throw new ArgumentException($"a row has {row.Count} cells but the table has {headers.Count} columns: {string.Join(" | ", row)}", nameof(rows));
        int[] widths = headers.Select((h, i) => all.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            text.AppendLine(string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
        Line(headers);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in all) Line(row);
        return text.ToString();
    }
}
