using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dropout.Experiments.Benchmarks;

namespace Dropout.Cli.Bench;

/// <summary>
/// The PyTorch reference (<c>Bench/pytorch_reference.py</c>) as a child process that, on request, trains one epoch or times
/// the matrix-product ceiling, alternating with TorchSharp under the same conditions; JSON lines on stdin/stdout.
/// </summary>
internal sealed class PytorchPeer : IDisposable
{
    readonly Process _process;
    readonly System.Text.StringBuilder _stderr = new();

    /// <summary>The script's path in the build output.</summary>
    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "Bench", "pytorch_reference.py");

    /// <summary>torch version the reference runs on.</summary>
    public string TorchVersion { get; }
    /// <summary>torch's intra-op threads in the reference.</summary>
    public int Threads { get; }
    /// <summary>The BLAS library the reference has loaded (OpenBLAS here), or what torch was built against.</summary>
    public string Blas { get; }
    /// <summary>Time the reference took to read the data (gzip + numpy + tensors).</summary>
    public double LoadSeconds { get; }
    /// <summary>Training samples per epoch.</summary>
    public long TrainSamples { get; }

    /// <summary>Starts the reference on the data in <paramref name="dataDirectory"/> and waits until it has loaded it.</summary>
    public PytorchPeer(string dataDirectory, int threads, int batchSize, double p1, double p2, double lr, long seed)
    {
        if (!File.Exists(ScriptPath)) throw new FileNotFoundException($"the PyTorch reference script is missing from the build output: {ScriptPath}. Rebuild the CLI.");
        var info = new ProcessStartInfo(PytorchSetup.Python)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string a in new[] { ScriptPath, "--serve", "--data", dataDirectory, "--threads", Str(threads), "--batch-size", Str(batchSize),
                     "--p1", Str(p1), "--p2", Str(p2), "--lr", Str(lr), "--seed", Str(seed) })
            info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {PytorchSetup.Python}.");
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        var ready = Read("ready");
        TorchVersion = ready.GetProperty("torch").GetString() ?? "?";
        Threads = ready.GetProperty("threads").GetInt32();
        Blas = ready.GetProperty("blas").GetString() ?? "?";
        LoadSeconds = ready.GetProperty("load_seconds").GetDouble();
        TrainSamples = ready.GetProperty("train").GetInt64();
    }

    static string Str(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    /// <summary>Trains and evaluates one epoch in the reference.</summary>
    public BenchEpoch RunEpoch()
    {
        var e = Ask("epoch", "epoch");
        return new BenchEpoch(e.GetProperty("epoch").GetInt32(), e.GetProperty("train_seconds").GetDouble(), e.GetProperty("eval_seconds").GetDouble(),
            e.GetProperty("steps").GetInt32(), e.GetProperty("train_loss").GetDouble(), e.GetProperty("train_acc").GetDouble(),
            e.GetProperty("test_acc").GetDouble(), new ProcessMemory(e.GetProperty("rss_bytes").GetInt64(), e.GetProperty("peak_rss_bytes").GetInt64()),
            e.GetProperty("cpu_seconds").GetDouble());
    }

    /// <summary>Times the same matrix products alone in the reference (its BLAS), <paramref name="steps"/> steps' worth.</summary>
    public double CeilingGflops(int steps) => Ask($"ceiling {steps}", "ceiling").GetProperty("gflops").GetDouble();

    JsonElement Ask(string command, string expectedEvent)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        return Read(expectedEvent);
    }

    JsonElement Read(string expectedEvent)
    {
        string? line = _process.StandardOutput.ReadLine();
        if (line is null)
        {
            _process.WaitForExit(5000);
            string stderr;
            lock (_stderr) stderr = _stderr.ToString().Trim();
            throw new UserError($"the PyTorch reference stopped before answering ({PytorchSetup.Python} {ScriptPath}): " +
                                (stderr.Length > 0 ? stderr : "no message."));
        }
        var message = JsonDocument.Parse(line).RootElement;
        string? kind = message.GetProperty("event").GetString();
        if (kind != expectedEvent)
            throw new InvalidOperationException($"the PyTorch reference answered {line} where {expectedEvent} was expected.");
        return message;
    }

    /// <summary>Ends the reference at once (Ctrl+C or SIGTERM to the bench): a question it was answering fails.</summary>
    public void Stop()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
        }
        catch (InvalidOperationException) { }
    }

    /// <summary>Asks the reference to quit, and ends it if it does not.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("quit");
                _process.StandardInput.Flush();
                if (!_process.WaitForExit(5000)) _process.Kill();
            }
        }
        catch (IOException) { }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
