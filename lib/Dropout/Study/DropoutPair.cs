using System.Globalization;
using Dropout.Layers;

namespace Dropout.Study;

/// <summary>The two dropout probabilities of d2l's MLP, after hidden layers 1 and 2 (the source's <c>dropout1</c>, <c>dropout2</c>).</summary>
public readonly record struct DropoutPair(double P1, double P2)
{
    /// <summary>"(0.2, 0.5)", the way the source writes a pair.</summary>
    public override string ToString() => $"({Format(P1)}, {Format(P2)})";

    /// <summary>A probability in its shortest round-trip form with '.' as decimal point ("0.2", "0", "0.02").</summary>
    public static string Format(double p) => p.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Parses one probability in [0, 1] ("0.2"); the message names <paramref name="what"/> when it is not one.</summary>
    /// <exception cref="FormatException">Not a number, or outside [0, 1].</exception>
    public static double ParseProbability(string text, string what)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double p))
            throw new FormatException($"{what}: '{text}' is not a number (use '.' as the decimal point, e.g. 0.2).");
        if (!DropoutOps.IsProbability(p))
            throw new FormatException($"{what}: {text} is not a dropout probability; it must be between 0 and 1.");
        return p;
    }

    /// <summary>Parses "p1:p2", e.g. "0.2:0.5".</summary>
    /// <exception cref="FormatException">The text is not two probabilities separated by ':'.</exception>
    public static DropoutPair Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2)
            throw new FormatException($"'{text}' is not a pair; write p1:p2, e.g. 0.2:0.5.");
        return new DropoutPair(ParseProbability(parts[0], $"p1 of '{text}'"), ParseProbability(parts[1], $"p2 of '{text}'"));
    }

    /// <summary>Parses a comma-separated list of pairs, e.g. "0.2:0.5,0.8:0.5".</summary>
    /// <exception cref="FormatException">A pair is malformed or the list is empty.</exception>
    public static IReadOnlyList<DropoutPair> ParseList(string text)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw new FormatException("the list of pairs is empty; write e.g. 0.2:0.5,0.8:0.5.");
        return items.Select(Parse).ToList();
    }
}
