using System.Text.RegularExpressions;
using Dropout.Statistics;
using Dropout.Training;

namespace Dropout.Tests.Notebooks;

/// <summary>
/// What notebooks/02 prints about its runs, checked against itself: the divergence named where the printed losses
/// break the rule, the counts of epochs, the table of runs, and every summary and verdict recomputed by the project's
/// rule (<see cref="Comparison"/>) from the numbers the notebook printed beside them. Used on every quick run of 02.
/// </summary>
static class ConciseChecks
{
    public const string Training = "var history = D2l.TrainCh3(net,";
    public const string TrainingNoDropout = "var historyNoDropout = D2l.TrainCh3(";
    public const string Readings = "var testAbove = history.Where(";
    public const string Pair = "var trainHigherWithout =";
    public const string Seeds = "record SeedRun(";
    public const string Summary = "Sample? SampleOf(";
    public const string Verdicts = "Console.WriteLine($\"Rule: {Comparison.Rule}\");";

    const string With = "dropout 0.2 / 0.5", Without = "no dropout (0 / 0)";

    /// <summary>The metrics of the seeds section: name, column of the runs table, whether higher is better, the lecture's claimed verdict.</summary>

    static double N(string text) => PrintedEpochs.Number(text);

    /// <summary>
    /// The divergence rule is printed once, and each of the two seed-42 runs is said to have diverged, at the right
    /// epoch, exactly when the losses it printed break the rule.
    /// </summary>
    public static void DivergenceStatementsAgree(NotebookQuickRun run)
    {
        Assert.Single(Regex.Matches(run.AllStdout, "Divergence rule: "));
        Assert.Contains($"Divergence rule: {TrainingDivergence.Rule}.", run.Stdout(Readings));
        foreach (var (training, statementCell, name) in new[] { (Training, Readings, With), (TrainingNoDropout, TrainingNoDropout, Without) })
        {
            var epochs = PrintedEpochs.Parse(run.Stdout(training));
            string line = Assert.Single(run.Stdout(statementCell).Split('\n'), l => l.StartsWith($"{name}, seed 42: ", StringComparison.Ordinal));
            switch (PrintedEpochs.Diverged(epochs))
            {
                case true:
                    var first = epochs.Skip(1).First(e => !double.IsFinite(e.TrainLoss) || e.TrainLoss > epochs[0].TrainLoss);
                    Assert.Contains($"diverged at epoch {first.Epoch}: train loss {first.TrainLoss.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}", line);
                    break;
                case false:
                    Assert.EndsWith("did not diverge", line);
                    break;
            }
        }
    }

    /// <summary>The pair's epoch counts name exactly the epochs where the run without dropout printed the higher accuracy, and the table shows the printed accuracies.</summary>
    public static void PairCountsAgree(NotebookQuickRun run)
    {
        var with = PrintedEpochs.Parse(run.Stdout(Training));
        var without = PrintedEpochs.Parse(run.Stdout(TrainingNoDropout));
        var lines = run.Stdout(Pair).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (line, of) in new (string, Func<PrintedEpoch, double>)[] { (lines[0], e => e.TrainAcc), (lines[1], e => e.TestAcc) })
        {
            var listed = PrintedEpochs.ListedEpochs(line);
            for (int i = 0; i < with.Count; i++)
                if (of(with[i]) != of(without[i]))
                    Assert.Equal(of(without[i]) > of(with[i]), listed.Contains(with[i].Epoch));
            Assert.StartsWith($"{(line.Contains("train acc", StringComparison.Ordinal) ? "train" : "test")} acc higher without dropout in {listed.Count} of {with.Count} epochs", line);
        }
        var rows = run.TableRows(Pair);
        Assert.Equal(with.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal([with[i].TrainAcc, without[i].TrainAcc, with[i].TestAcc, without[i].TestAcc], rows[i].Skip(1).Select(N));
        }
    }

    /// <summary>The runs table: seed 42's rows are the two runs above, the other seeds' rows what their lines printed, and every gap is train acc (eval) − test acc.</summary>
    public static void SeedRunsAgree(NotebookQuickRun run)
    {
        var rows = run.TableRows(Seeds);
        foreach (var (name, training) in new[] { (With, Training), (Without, TrainingNoDropout) })
        {
            var final = PrintedEpochs.Parse(run.Stdout(training))[^1];
            var row = Assert.Single(rows, r => r[0] == name && r[1] == "42");
            Assert.Equal([final.TrainLoss, final.TrainAcc, final.TestAcc], row.Skip(2).Take(3).Select(N));
        }
        string printed = run.Stdout(Seeds);
        foreach (var r in rows)
        {
            Assert.InRange(N(r[6]) - (N(r[5]) - N(r[4])), -0.00015, 0.00015);   // each printed to 4 decimals
            if (r[1] == "42") continue;
            Assert.Contains($"{r[0]}, seed {r[1]}: train loss {r[2]}, train acc {r[3]}, test acc {r[4]}; " +
                            (r[7] == "no" ? "did not diverge" : r[7]), printed);
        }
    }

    /// <summary>
    /// The summary table holds, per setting and metric, exactly the runs that did not diverge; each verdict is the one
    /// <see cref="Comparison"/> gives on those printed numbers; each reading of the lecture's claims restates its verdict;
    /// the count of diverged runs per setting is the table's.
    /// </summary>
    public static void SummaryAndVerdictsAgree(NotebookQuickRun run) =>
        Assert.Fail("notebook 02's verdicts move to the interval rule (issue 16): this check is rewritten with the notebook.");
}
