using System.Globalization;
using Dropout.Layers;
using Dropout.Study;
using Dropout.Training;

namespace Dropout.Experiments.Study;

/// <summary>One line of a study's results: one epoch of one (pair, seed) run.</summary>
/// <param name="Model">"concise" or "scratch".</param>
/// <param name="P1">Dropout probability after the first hidden layer.</param>
/// <param name="P2">Dropout probability after the second hidden layer.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">d2l's train loss of the epoch (Σ per-sample loss / n).</param>
/// <param name="TrainAcc">Training accuracy during the epoch (train mode).</param>
/// <param name="TestAcc">Test accuracy after the epoch (eval mode).</param>
/// <param name="Seconds">Wall time of the epoch: training plus evaluation.</param>
public sealed record StudyRow(string Model, double P1, double P2, int Seed, int Epoch,
    double TrainLoss, double TrainAcc, double TestAcc, double Seconds)
{
    /// <summary>The CSV header: exactly these nine columns, in this order.</summary>
    public const string CsvHeader = "model,p1,p2,seed,epoch,train_loss,train_acc,test_acc,seconds";

    /// <summary>The run this row belongs to.</summary>
    public SeededRun Run => new(new DropoutPair(P1, P2), Seed);

    /// <summary>The row's numbers as the training loop reports them.</summary>
    public EpochMetrics ToEpochMetrics() => new(Epoch, TrainLoss, TrainAcc, TestAcc, Seconds);

    /// <summary>The rows of one finished run, one per epoch.</summary>
    public static IReadOnlyList<StudyRow> FromHistory(string model, SeededRun run, IEnumerable<EpochMetrics> epochs) =>
        epochs.Select(e => new StudyRow(model, run.Pair.P1, run.Pair.P2, run.Seed, e.Epoch, e.TrainLoss, e.TrainAcc, e.TestAcc, e.Seconds)).ToList();

    /// <summary>One CSV line, no newline: invariant culture, metrics round-tripping exactly ("R"), seconds to the ms.</summary>
    public string ToCsvLine()
    {
        var c = CultureInfo.InvariantCulture;
        return string.Join(",",
            Model, DropoutPair.Format(P1), DropoutPair.Format(P2), Seed.ToString(c), Epoch.ToString(c),
            TrainLoss.ToString("R", c), TrainAcc.ToString("R", c), TestAcc.ToString("R", c), Seconds.ToString("0.###", c));
    }

    /// <summary>Parses a line written by <see cref="ToCsvLine"/>.</summary>
    /// <exception cref="InvalidDataException">
    /// A malformed line, or a value no study writes (a probability or accuracy that is NaN or outside [0, 1], an epoch
    /// below 1, a loss or time that is negative or not finite); the message names <paramref name="where"/> and the field.
    /// </exception>
    public static StudyRow Parse(string line, string where)
    {
        var f = line.Split(',');
        if (f.Length != 9) throw new InvalidDataException($"{where}: expected 9 comma-separated fields ({CsvHeader}), found {f.Length}: '{StudyCsv.Printable(line)}'.");
        string model = StudySettings.Models.FirstOrDefault(m => m == f[0]) ?? throw new InvalidDataException($"{where}: model '{StudyCsv.Printable(f[0])}' is neither {string.Join(" nor ", StudySettings.Models)}.");
        return new StudyRow(model, Fraction(f[1], "p1"), Fraction(f[2], "p2"), (int)Integer(f[3], "seed", 0, int.MaxValue), (int)Integer(f[4], "epoch", 1, int.MaxValue),
            NonNegative(f[5], "train_loss"), Fraction(f[6], "train_acc"), Fraction(f[7], "test_acc"), NonNegative(f[8], "seconds"));

        double Number(string text, string name) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? v : throw new InvalidDataException($"{where}: {name} '{StudyCsv.Printable(text)}' is not a number.");
        double Fraction(string text, string name) =>
            Number(text, name) is var v && DropoutOps.IsProbability(v)
                ? v : throw new InvalidDataException($"{where}: {name} '{text}' is not between 0 and 1.");
        double NonNegative(string text, string name) =>
            Number(text, name) is var v && double.IsFinite(v) && v >= 0
                ? v : throw new InvalidDataException($"{where}: {name} '{text}' is not a finite number of at least 0.");
        long Integer(string text, string name, long min, long max = long.MaxValue) =>
            !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
                ? throw new InvalidDataException($"{where}: {name} '{StudyCsv.Printable(text)}' is not an integer.")
                : v >= min && v <= max ? v : throw new InvalidDataException($"{where}: {name} {text} is out of range (at least {min}).");
    }
}
