using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Dropout.Study;
using Dropout.Experiments.Study;

namespace Dropout.Cli.Workers;

/// <summary>
/// One <c>study-worker</c> child process: its stdin to send runs, its stdout read line by line into the study's event
/// channel, the last lines of its stderr kept for error messages. It stays in the study's process group, so a
/// Ctrl+C at the terminal reaches it too.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    const int StderrLinesKept = 30;

    readonly Process _process;
    readonly Lock _inputLock = new();
    readonly Queue<string> _stderr = new();
    bool _inputClosed;

    WorkerProcess(int number, Process process)
    {
        Number = number;
        _process = process;
    }

    /// <summary>1-based number of the worker in its study.</summary>
    public int Number { get; }

    /// <summary>The operating system's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The run it is training, or null when idle.</summary>
    public SeededRun? Current { get; set; }

    /// <summary>Epochs of <see cref="Current"/> finished so far.</summary>
    public int Epoch { get; set; }

    /// <summary>True once it has ended.</summary>
    public bool Exited { get; set; }

    /// <summary>Starts the process and the reading of its output into <paramref name="events"/>.</summary>
    public static WorkerProcess Start(int number, ProcessStartInfo info, ChannelWriter<WorkerEvent> events)
    {
        info.RedirectStandardInput = info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        info.StandardOutputEncoding = info.StandardErrorEncoding = Encoding.UTF8;
        var process = new Process { StartInfo = info };
        var worker = new WorkerProcess(number, process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (worker._stderr)
            {
                worker._stderr.Enqueue(e.Data);
                while (worker._stderr.Count > StderrLinesKept) worker._stderr.Dequeue();
            }
        };
        if (!process.Start()) throw new InvalidOperationException($"could not start worker {number} ({info.FileName}).");
        process.BeginErrorReadLine();
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is string line)
            {
                if (line.Length == 0) continue;
                WorkerMessage message;
                try
                {
                    message = WorkerMessage.Parse(line);
                }
                catch (InvalidDataException e)
                {
                    events.TryWrite(new WorkerEvent(worker, null, ProtocolError: e.Message));
                    continue;
                }
                events.TryWrite(new WorkerEvent(worker, message));
            }
            await process.WaitForExitAsync();
            process.WaitForExit(); // and for the end of its stderr, so that StderrTail is complete
            events.TryWrite(new WorkerEvent(worker, null, ExitCode: process.ExitCode));
        });
        return worker;
    }

    /// <summary>Sends one message; false when its input is closed or the process is gone.</summary>
    public bool Send(WorkerMessage message)
    {
        lock (_inputLock)
        {
            if (_inputClosed) return false;
            try
            {
                _process.StandardInput.WriteLine(message.ToJson());
                _process.StandardInput.Flush();
                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>Closes its stdin: it ends when idle, and stops at the end of the current step when training.</summary>
    public void CloseInput()
    {
        lock (_inputLock)
        {
            if (_inputClosed) return;
            _inputClosed = true;
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // already gone
            }
        }
    }

    /// <summary>Ends it at once (it did not stop when asked).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>The last lines it wrote to stderr, for error messages.</summary>
    public string StderrTail()
    {
        lock (_stderr) return string.Join(Environment.NewLine, _stderr);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
