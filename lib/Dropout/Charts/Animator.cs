using Dropout.Platform;
using Dropout.Training;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace Dropout.Charts;

/// <summary>
/// d2l's <c>Animator</c> as <c>train_ch3</c> uses it (x: epoch 1..num_epochs, y: 0.3–0.9, legend train loss, train acc,
/// test acc): in a notebook the chart appears when training starts and grows after each epoch, with one line per epoch
/// below it. Where the kernel cannot update a display in place (Jupyter, see <see cref="Notebook.UpdatesInPlace"/>) the
/// lines come first and the finished chart is shown once at the end. Outside a notebook it does nothing.
/// </summary>
public sealed class Animator
{
    readonly List<EpochMetrics> _epochs = [];
    readonly int _numEpochs;
    readonly string? _title;
    readonly DisplayedValue? _chart;

    Animator(int numEpochs, string? title)
    {
        _numEpochs = numEpochs;
        _title = title;
        // The context's Display, not Kernel.display: the released kernel's Kernel.display returns a DisplayedValue whose updates
        // carry another value id than the display they update, so a notebook saving the cell's outputs kept the empty chart
        // and appended the growing one beside it.
        if (Notebook.UpdatesInPlace) _chart = KernelInvocationContext.Current?.Display(TrainingChart.Create([], title, numEpochs));
    }

    /// <summary>A live chart for <paramref name="numEpochs"/> epochs in the running notebook cell, or null outside a notebook.</summary>
    public static Animator? InNotebook(int numEpochs, string? title = null) => Notebook.IsRunning ? new Animator(numEpochs, title) : null;

    /// <summary>Adds one epoch: a line of its numbers, and the chart redrawn (d2l: <c>animator.add(epoch + 1, ...)</c>).</summary>
    public void Add(EpochMetrics epoch)
    {
        _epochs.Add(epoch);
        Console.WriteLine($"epoch {epoch.Epoch}/{_numEpochs}: train loss {epoch.TrainLoss:F4}, train acc {epoch.TrainAcc:F4}, test acc {epoch.TestAcc:F4}");
        _chart?.Update(TrainingChart.Create(_epochs, _title, _numEpochs));
    }

    /// <summary>
    /// After the last epoch: where the chart could not grow in place, shows it now, finished. d2l's <c>train_ch3</c> then
    /// asserts <c>train_loss &lt; 0.5</c> and both accuracies in (0.7, 1]; where that fails, the failure is printed as d2l
    /// raises it (<c>AssertionError: 0.541...</c>) and the notebook goes on.
    /// </summary>
    public void Finish()
    {
        if (_epochs.Count == 0) return;
        if (_chart is null) Kernel.display(TrainingChart.Create(_epochs, _title, _numEpochs));
        var failed = new TrainingHistory(_epochs).CheckD2l().Conditions.FirstOrDefault(c => !c.Holds);
        if (failed is not null)
            Console.WriteLine($"AssertionError: {failed.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} (d2l's train_ch3 asserts {failed.Name} {failed.Requirement}; printed here, not raised)");
    }
}
