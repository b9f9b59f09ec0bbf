using System.CommandLine;
using System.Threading.Channels;
using Dropout.Cli.Workers;
using Dropout.Data;
using Dropout.Platform;
using Dropout.Study;
using Dropout.Training;
using static TorchSharp.torch;
using Dropout.Experiments.Study;

namespace Dropout.Cli.Commands;

/// <summary>
/// <c>study-worker</c> (hidden): one of the processes a <c>study</c> spreads its runs over. It speaks
/// <see cref="WorkerMessage"/> JSON lines: reads <c>start</c> and then <c>run</c> messages on stdin, trains each run with
/// <see cref="StudyTraining"/> exactly as a one-worker study does, and reports every epoch and every finished run on
/// stdout. It never writes the results file: the <c>study</c> process is its only writer. Anything else it prints goes
/// to stderr. Closing its stdin stops it (at the end of the current step when training); so does SIGINT or SIGTERM.
/// </summary>
internal static class StudyWorkerCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "study-worker";

    /// <summary>Builds the command (hidden from help: users run <c>study</c>).</summary>
    public static Command Create()
    {
        var command = new Command(Name, "Internal: trains study runs sent on stdin and reports them on stdout (started by study --workers).")
        {
            Hidden = true,
        };
        command.SetAction((_, cancellationToken) => Task.FromResult(Run(Console.In, Console.Out, cancellationToken)));
        return command;
    }

    /// <summary>Serves runs until stdin ends; returns the exit code (0 when stdin ended while idle).</summary>
    static int Run(TextReader input, TextWriter protocolOutput, CancellationToken cancellationToken)
    {
        // The protocol owns stdout; whatever else is printed (the native fix line, warnings) goes to stderr.
        var protocol = TextWriter.Synchronized(protocolOutput);
        Console.SetOut(Console.Error);
        void Send(WorkerMessage message)
        {
            protocol.WriteLine(message.ToJson());
            protocol.Flush();
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inbox = Channel.CreateUnbounded<WorkerMessage>();
        var reader = Task.Run(() =>
        {
            try
            {
                while (input.ReadLine() is string line)
                    if (line.Length > 0) inbox.Writer.TryWrite(WorkerMessage.Parse(line));
                inbox.Writer.TryComplete();
            }
            catch (Exception e)
            {
                inbox.Writer.TryComplete(e);
            }
            stop.Cancel(); // stdin closed: no more runs, and stop the one in progress
        });

        try
        {
            var start = Next(inbox, cancellationToken);
            if (start is not { Type: WorkerMessage.Start, Settings: { } settings })
                throw new InvalidDataException($"a worker must first be sent '{WorkerMessage.Start}'; got '{start?.Type ?? "end of input"}'.");
            settings.Validate();
            Console.Error.WriteLine(TorchNative.Ensure());
            set_num_threads(start.Threads ?? 1);
            using var fashion = FashionMnist.Load(start.Data, settings.TrainLimit, settings.TestLimit, cancellationToken: stop.Token);
            var trainer = StudyTraining.ForData(settings, fashion);
            Send(new WorkerMessage { Type = WorkerMessage.Ready, Pid = Environment.ProcessId, Threads = get_num_threads(),
                TrainImages = fashion.Train.Count, TestImages = fashion.Test.Count, Data = fashion.SourceDirectory });

            while (Next(inbox, cancellationToken) is { } message)
            {
                if (message.Type != WorkerMessage.Run) throw new InvalidDataException($"a worker expects '{WorkerMessage.Run}' messages; got '{message.Type}'.");
                var run = message.SeededRun;
                var history = trainer(run, e => Send(WorkerMessage.ForRun(WorkerMessage.Epoch, run) with { Metrics = e }), stop.Token);
                Send(WorkerMessage.ForRun(WorkerMessage.Done, run) with { Epochs = history.ToList() });
            }
            return 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("stopped: the study closed this worker's input; the run in progress was dropped.");
            return CliRunner.SigintExitCode;
        }
        catch (OperationCanceledException)
        {
            throw; // SIGINT or SIGTERM: CliRunner exits 130 / 143
        }
        catch (Exception e)
        {
            bool usage = e is UserError or ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                or TrainingDivergedException or D2lAssertionException;
            Send(new WorkerMessage { Type = WorkerMessage.Failed, UsageError = usage, Message = usage ? e.Message : $"{e.GetType().Name}: {e.Message}" });
            throw;
        }
    }

    /// <summary>The next message, or null when stdin has ended.</summary>
    static WorkerMessage? Next(Channel<WorkerMessage> inbox, CancellationToken cancellationToken)
    {
        try
        {
            return inbox.Reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult() && inbox.Reader.TryRead(out var message)
                ? message : null;
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
