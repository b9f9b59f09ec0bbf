using System.CommandLine;
using System.Diagnostics;
using Dropout.Charts;
using Dropout.Data;
using Dropout.Experiments.Charts;
using Dropout.Experiments.Study;
using Dropout.Layers;
using Dropout.Models;
using Dropout.Native;
using Dropout.Study;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Cli.Commands;

/// <summary><c>train</c>: one d2l training run (concise or scratch MLP) on the real Fashion-MNIST, a line per epoch.</summary>
internal static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "concise (nn.Dropout) or scratch (dropout_layer)", DefaultValueFactory = _ => "concise" };
        model.AcceptOnlyFromAmong("concise", "scratch");
        var p1 = new Option<double>("--p1") { Description = "dropout probability after the first hidden layer", DefaultValueFactory = _ => 0.2 };
        var p2 = new Option<double>("--p2") { Description = "dropout probability after the second hidden layer", DefaultValueFactory = _ => 0.5 };
        var epochs = new Option<int>("--epochs") { Description = $"number of epochs (at most {TrainingSettings.MaxEpochs:N0})", DefaultValueFactory = _ => 10 };
        var lr = new Option<double>("--lr") { Description = "SGD learning rate", DefaultValueFactory = _ => 0.5 };
        var batchSize = new Option<int>("--batch-size") { Description = "minibatch size", DefaultValueFactory = _ => 256 };
        var seed = new Option<long?>("--seed") { Description = "seed for initialisation, dropout masks and shuffling (default: unseeded, like d2l)" };
        var data = new Option<string?>("--data") { Description = "folder with the four Fashion-MNIST files (default: FASHION_MNIST_DIR, data/fashion-mnist, the Debian package, or download)" };
        var trainLimit = new Option<int?>("--train-limit") { Description = "use only the first N training images" };
        var testLimit = new Option<int?>("--test-limit") { Description = "use only the first N test images" };
        var chart = new Option<string?>("--chart") { Description = "also save the training curves as a self-contained HTML file" };

        var command = new Command("train", "Train the d2l dropout MLP on Fashion-MNIST and print train loss, train acc and test acc per epoch.")
        {
            model, p1, p2, epochs, lr, batchSize, seed, data, trainLimit, testLimit, chart,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var settings = new TrainSettings(result.GetValue(model)!, result.GetValue(p1), result.GetValue(p2), result.GetValue(epochs),
                result.GetValue(lr), result.GetValue(batchSize), result.GetValue(seed));
            settings.Validate();
            // The checks every study run passes: model, epochs, lr, batch size, data limits
            TrainingOptions.Check(() => new StudySettings(settings.Model, StudySettings.Source.Hidden, settings.Epochs, settings.Lr,
                settings.BatchSize, result.GetValue(trainLimit), result.GetValue(testLimit)).Validate());
            string? chartPath = result.GetValue(chart);
            if (chartPath is not null) OutputPaths.CheckFile("--chart", chartPath, "artifacts/train.html");
            Console.WriteLine(TorchNative.Ensure());
            var clock = Stopwatch.StartNew();
            using var fashion = FashionMnist.Load(result.GetValue(data), result.GetValue(trainLimit), result.GetValue(testLimit), cancellationToken: cancellationToken);
            Console.WriteLine($"data: {fashion.Train.Count} training and {fashion.Test.Count} test images from {fashion.SourceDirectory} in {clock.Elapsed.TotalSeconds:0.00} s");

            if (settings.Seed is long s) random.manual_seed(s);
            var trainIter = new DataIter(fashion.Train.Images, fashion.Train.Labels, settings.BatchSize, shuffle: true, settings.Seed);
            var testIter = new DataIter(fashion.Test.Images, fashion.Test.Labels, settings.BatchSize, shuffle: false);
            using var net = settings.Model == "scratch"
                ? new ScratchNet(784, 10, 256, 256, settings.P1, settings.P2)
                : (nn.Module<Tensor, Tensor>)ConciseNet.Create(settings.P1, settings.P2);
            using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
            var trainer = optim.SGD(net.parameters(), settings.Lr);
            Console.WriteLine($"training the {settings.Model} MLP 784-256-256-10, dropout {settings.P1}/{settings.P2}, SGD lr {settings.Lr}, batch {settings.BatchSize}, {settings.Epochs} epochs");

            var finished = new List<EpochMetrics>();
            string title = $"{settings.Model} MLP, dropout {settings.P1}/{settings.P2}";
            TrainingHistory history;
            try
            {
                history = D2l.TrainCh3(net, trainIter, testIter, loss, settings.Epochs, trainer, e =>
                {
                    finished.Add(e);
                    Console.WriteLine($"epoch {e.Epoch,2}/{settings.Epochs}  train loss {e.TrainLoss:0.0000}  train acc {e.TrainAcc:0.0000}  test acc {e.TestAcc:0.0000}  ({e.Seconds:0.00} s)");
                }, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The epochs printed above are what was kept; with --chart they are also drawn.
                string kept = finished.Count == 0 ? "no epoch had finished" : $"the {finished.Count} finished {(finished.Count == 1 ? "epoch is" : "epochs are")} printed above";
                if (chartPath is not null && finished.Count > 0)
                {
                    ChartHtml.Save(TrainingChart.Create(finished, title + $" (interrupted after {finished.Count} of {settings.Epochs} epochs)"), chartPath);
                    kept += $" and drawn in {chartPath}";
                }
                throw new CommandInterruptedException(
                    $"interrupted during epoch {finished.Count + 1} of {settings.Epochs}: {kept}; the epoch in progress was dropped. " +
                    "train keeps no checkpoint: run the same command again to train from the start.", cancellationToken);
            }
            Console.WriteLine(history.CheckD2l());
            if (chartPath is not null)
            {
                ChartHtml.Save(TrainingChart.Create(history, title), chartPath);
                Console.WriteLine($"chart: {Path.GetFullPath(chartPath)}");
            }
            // A run that diverged by the project's rule ends with the error a study's diverged run gets (exit 2).
            if (Divergence.Find(history) is { } divergence)
                throw new UserError(DivergenceMessage(divergence));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The divergence error: the epoch, its loss against epoch 1's, the project's rule, and what to try.</summary>
    internal static string DivergenceMessage(Divergence divergence)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        string loss = double.IsFinite(divergence.Loss) ? $"train loss {divergence.Loss.ToString("G5", c)} is above epoch 1's {divergence.FirstLoss.ToString("G5", c)}"
            : $"train loss is {divergence.Loss.ToString(c)}";
        return $"training diverged at epoch {divergence.At}: {loss}; by the project's rule, {Divergence.Rule}. Lower the learning rate or check the data.";
    }

    sealed record TrainSettings(string Model, double P1, double P2, int Epochs, double Lr, int BatchSize, long? Seed)
    {
        public void Validate()
        {
            if (!DropoutOps.IsProbability(P1)) throw new UserError($"--p1 must be between 0 and 1; got {P1}.");
            if (!DropoutOps.IsProbability(P2)) throw new UserError($"--p2 must be between 0 and 1; got {P2}.");
        }
    }
}
