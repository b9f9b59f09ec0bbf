using System.Globalization;
using System.Text.RegularExpressions;
using Dropout.Training;

namespace Dropout.Tests.Notebooks;

/// <summary>
/// One epoch line a notebook printed: d2l's Animator's <c>epoch 1/10: train loss 0.9115, train acc 0.6621, test acc 0.7826</c>
/// (or an older <c>epoch  1: ... (4.7 s)</c>).
/// </summary>
public sealed record PrintedEpoch(int Epoch, double TrainLoss, double TrainAcc, double TestAcc);

/// <summary>Reading back what the notebooks print about training runs: epoch lines, lists of epochs, numbers.</summary>
public static partial class PrintedEpochs
{
    [GeneratedRegex(@"^epoch\s+(\d+)(?:/\d+)?: train loss ([^,\s]+), train acc ([^,\s]+), test acc ([-\d.NaE]+)", RegexOptions.Multiline)]
    private static partial Regex EpochLine();

    [GeneratedRegex(@"[-+]?(\d+\.?\d*|NaN)")]
    private static partial Regex NumberPattern();

    /// <summary>The epoch lines in <paramref name="stdout"/>, in order.</summary>
    public static IReadOnlyList<PrintedEpoch> Parse(string stdout) =>
        EpochLine().Matches(stdout).Select(m => new PrintedEpoch(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            Number(m.Groups[2].Value), Number(m.Groups[3].Value), Number(m.Groups[4].Value))).ToList();

    /// <summary>
    /// The epochs a verdict line lists: "... in epochs 1, 2, 4 of this run ..." or "... in epoch 3 of ...", none for
    /// "... in none of the 10 epochs ...".
    /// </summary>
    public static IReadOnlyList<int> ListedEpochs(string line)
    {
        if (line.Contains("none of the", StringComparison.Ordinal) || line.Contains("(no epoch)", StringComparison.Ordinal)) return [];
        var m = Regex.Match(line, @"epochs? ([\d, ]*?\d)( of this run|\))");
        Assert.True(m.Success, $"no list of epochs in: {line}");
        return m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The last number in <paramref name="text"/> (with its sign).</summary>
    public static double LastNumber(string text) => Number(NumberPattern().Matches(text).Last().Value);

    /// <summary>Whether a run with these printed losses diverged by <see cref="Divergence.Rule"/>; null when a tie at the printed precision leaves it open.</summary>
    public static bool? Diverged(IReadOnlyList<PrintedEpoch> epochs)
    {
        double first = epochs[0].TrainLoss;
        if (!double.IsFinite(first) || epochs.Skip(1).Any(e => !double.IsFinite(e.TrainLoss) || e.TrainLoss > first)) return true;
        if (epochs.Skip(1).Any(e => e.TrainLoss == first)) return null;
        return false;
    }

    public static double Number(string text) => text.Trim() == "NaN" ? double.NaN : double.Parse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
