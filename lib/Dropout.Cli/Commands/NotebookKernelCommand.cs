using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Dropout.Native;
using Dropout.Notebooks.Runner.Execution;

namespace Dropout.Cli.Commands;

/// <summary>
/// <c>notebook-kernel JOB</c> (hidden): the process hosting one notebook's kernel for the <c>notebooks</c> command. It
/// makes TorchSharp loadable (<see cref="TorchNative"/>), runs the notebook (<see cref="NotebookExecution"/>), streams
/// progress and the cells' output to standard error, and exits 0 (succeeded), 1 (a cell failed or timed out) or 130
/// (Ctrl+C or SIGTERM; the running cell is recorded as interrupted, everything before it kept). It ends as soon as the
/// <c>notebooks</c> command is gone (<see cref="ParentWatch"/>).
/// </summary>
internal static class NotebookKernelCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "notebook-kernel";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "The kernel job (JSON) written by the notebooks command." };
        var command = new Command(Name, "Hosts one notebook's kernel for the notebooks command (internal).") { Hidden = true };
        command.Arguments.Add(job);
        command.SetAction(async (ParseResult result, CancellationToken _) =>
        {
            string jobPath = result.GetValue(job)!;
            ParentWatch.Start(jobPath);
            var kernelJob = KernelJob.Read(jobPath);
            using var interrupt = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; interrupt.Cancel(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; interrupt.Cancel(); });
            TorchNative.Ensure();
            var progress = new ProgressLines();
            var outcome = await NotebookExecution.RunAsync(kernelJob, progress, interrupt.Token);
            progress.Flush();
            int code = outcome.Status switch { NotebookStatus.Succeeded => 0, NotebookStatus.Interrupted => 130, _ => 1 };
            Console.Error.Flush();
            // A cell that was stopped may still be running on a kernel thread: end the process, not just the command.
            Environment.Exit(code);
            return code;
        });
        return command;
    }

    /// <summary>Progress on stderr: a line per cell start and end, and the cells' output line by line, indented.</summary>
    sealed class ProgressLines : IProgress<NotebookProgress>
    {
        readonly object _gate = new();
        readonly StringBuilder _partial = new();
        string _notebook = "";

        public void Report(NotebookProgress p)
        {
            lock (_gate)
            {
                _notebook = p.Notebook;
                if (p.Stage == NotebookStage.Output)
                {
                    // Only the new text is searched for line ends, so a cell printing n lines costs time linear in n.
                    string text = p.Text ?? "";
                    int start = 0;
                    for (int end = text.IndexOf('\n'); end >= 0; start = end + 1, end = text.IndexOf('\n', start))
                    {
                        _partial.Append(text, start, end - start);
                        Write($"  │ {_partial.ToString().TrimEnd('\r')}");
                        _partial.Clear();
                    }
                    _partial.Append(text, start, text.Length - start);
                    return;
                }
                FlushPartial();
                string seconds = p.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
                Write(p.Stage switch
                {
                    NotebookStage.NotebookStarted => $"{p.Notebook}: kernel ready after {seconds}; {p.CellCount} code cells",
                    NotebookStage.CellStarted => $"{p.Notebook}: cell {p.Cell}/{p.CellCount} running",
                    NotebookStage.CellSucceeded => $"{p.Notebook}: cell {p.Cell}/{p.CellCount} done in {seconds}",
                    _ => $"{p.Notebook}: cell {p.Cell}/{p.CellCount} FAILED after {seconds}",
                });
            }
        }

        public void Flush()
        {
            lock (_gate) FlushPartial();
        }

        void FlushPartial()
        {
            if (_partial.Length == 0) return;
            Write($"  │ {_partial}");
            _partial.Clear();
        }

        static void Write(string line) => StandardError.Value.WriteLine(line);

        /// <summary>The process's real standard error: the kernel redirects Console.Error while a cell runs.</summary>
        static readonly Lazy<TextWriter> StandardError = new(() => new StreamWriter(Console.OpenStandardError()) { AutoFlush = true });
    }
}
