using Dropout.Platform;
using Dropout.Training;
using Microsoft.DotNet.Interactive.Formatting;

namespace Dropout.Charts;

/// <summary>d2l's <c>Animator</c> as <c>train_ch3</c> uses it: the chart redrawn in place after each epoch, a line of numbers below.</summary>
public sealed class Animator
{
    readonly List<EpochMetrics> _epochs = [];
    readonly int _numEpochs;
    readonly string? _title;
    readonly DisplayedValue _chart;

    Animator(int numEpochs, string? title)
    {
        _numEpochs = numEpochs;
        _title = title;
        _chart = Notebook.Display(TrainingChart.Create([], title, numEpochs));
    }

    /// <summary>A live chart for <paramref name="numEpochs"/> epochs in the running notebook cell, or null outside a notebook.</summary>
    public static Animator? InNotebook(int numEpochs, string? title = null) => Notebook.IsRunning ? new Animator(numEpochs, title) : null;

    /// <summary>Adds one epoch: a line of its numbers, and the chart redrawn (d2l: <c>animator.add(epoch + 1, ...)</c>).</summary>
    public void Add(EpochMetrics epoch)
    {
        _epochs.Add(epoch);
        Console.WriteLine($"epoch {epoch.Epoch}/{_numEpochs}: train loss {epoch.TrainLoss:F4}, train acc {epoch.TrainAcc:F4}, test acc {epoch.TestAcc:F4}");
        _chart.Update(TrainingChart.Create(_epochs, _title, _numEpochs));
    }

    /// <summary>Checks d2l's final asserts (<c>train_loss &lt; 0.5</c>, accuracies in (0.7, 1]): a failure is printed, not raised.</summary>
    public void Finish()
    {
        if (_epochs.Count == 0) return;
        var failed = new TrainingHistory(_epochs).CheckD2l().Conditions.FirstOrDefault(c => !c.Holds);
        if (failed is not null)
            Console.WriteLine($"AssertionError: {failed.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} (d2l's train_ch3 asserts {failed.Name} {failed.Requirement}; printed here, not raised)");
    }
}
