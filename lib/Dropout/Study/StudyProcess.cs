using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Dropout.Data;
using Dropout.Platform;

namespace Dropout.Study;

/// <summary>
/// Runs a study the way the command line does — spread over worker processes on every core, resumable, the results
/// file locked against other writers — from code that has only loaded <c>Dropout.dll</c>, such as a notebook. It starts
/// the repository's built command line (<c>dotnet lib/Dropout.Cli/bin/Release/net10.0/Dropout.Cli.dll study ...</c>,
/// built by <c>bash .ci/setup</c>) as a child process, passes every output line to a callback as it comes (one line per
/// finished epoch: which worker, pair and seed, the epochs done and the ETA; then the summary table) and returns when
/// the results file is complete.
/// <example>
/// In a notebook cell, after <c>#r "../lib/Dropout/bin/Release/net10.0/Dropout.dll"</c>:
/// <code>
/// var settings = new StudySettings("concise", 256, 10, 0.5, 256, null, null);
/// var plan = new StudyPlan(StudyPlan.DefaultPairs, StudyPlan.SeedRange(3));
/// var rows = StudyProcess.Run(settings, plan, StudyFiles.DefaultResultsPath, onLine: Console.WriteLine);
/// var summary = StudySummary.FromRows(rows);
/// </code>
/// Runs already in the file are not trained again, so re-running the cell only reads them.
/// </example>
/// </summary>
public static class StudyProcess
{
    /// <summary>How long the study gets to stop after cancellation before it is killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Trains every run of <paramref name="plan"/> with <paramref name="settings"/> that <paramref name="resultsPath"/>
    /// does not hold yet, in a <c>study</c> child process, and returns the plan's rows from the completed file.
    /// </summary>
    /// <param name="settings">Model, width, epochs, learning rate, batch size and data limits.</param>
    /// <param name="plan">The pairs and seeds; its seeds must be 0, 1, ..., N-1 (<see cref="StudyPlan.SeedRange"/>), as the command line numbers them.</param>
    /// <param name="resultsPath">The results CSV (created or resumed; its settings file and lock file go beside it).</param>
    /// <param name="onLine">Receives each line the study prints (progress, summary); null to drop them.</param>
    /// <param name="workers">Worker processes; null for the command's default (one per core).</param>
    /// <param name="threads">Torch threads per run; null for the command's default (1).</param>
    /// <param name="dataDirectory">The Fashion-MNIST folder; null for the usual search (see <see cref="FashionMnist.Load(string?, int?, int?, IProgress{string}?, CancellationToken)"/>).</param>
    /// <param name="wait">True to wait while another process writes the same results file (then resume from it); false to fail at once.</param>
    /// <param name="cancellationToken">Stops the study as Ctrl+C would (finished runs stay in the file) and throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The rows of the plan's runs, read from the completed file.</returns>
    /// <exception cref="ArgumentException">The plan's seeds are not 0..N-1.</exception>
    /// <exception cref="FileNotFoundException">The command line is not built; the message says how to build it.</exception>
    /// <exception cref="InvalidOperationException">The study failed; the message holds its error output.</exception>
    public static IReadOnlyList<StudyRow> Run(StudySettings settings, StudyPlan plan, string resultsPath, Action<string>? onLine = null,
        int? workers = null, int? threads = null, string? dataDirectory = null, bool wait = true, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        Run(Arguments(settings, plan, resultsPath, workers, threads, dataDirectory, wait), onLine, cancellationToken);
        var wanted = plan.Runs.ToHashSet();
        return StudyCsv.ReadRows(resultsPath).Where(r => wanted.Contains(r.Run)).ToList();
    }

    /// <summary>The <c>study</c> command's arguments for this plan and these settings.</summary>
    /// <exception cref="ArgumentException">The plan's seeds are not 0..N-1.</exception>
    public static IReadOnlyList<string> Arguments(StudySettings settings, StudyPlan plan, string resultsPath,
        int? workers = null, int? threads = null, string? dataDirectory = null, bool wait = true)
    {
        if (!plan.Seeds.SequenceEqual(StudyPlan.SeedRange(plan.Seeds.Count)))
            throw new ArgumentException($"the study command trains seeds 0..N-1; this plan has seeds {string.Join(", ", plan.Seeds.Take(10))}.", nameof(plan));
        var c = CultureInfo.InvariantCulture;
        var args = new List<string>
        {
            "--pairs", string.Join(",", plan.Pairs.Select(p => $"{DropoutPair.Format(p.P1)}:{DropoutPair.Format(p.P2)}")),
            "--seeds", plan.Seeds.Count.ToString(c),
            "--model", settings.Model,
            "--hidden", settings.Hidden.ToString(c),
            "--epochs", settings.Epochs.ToString(c),
            "--lr", settings.Lr.ToString("R", c),
            "--batch-size", settings.BatchSize.ToString(c),
            "--out", resultsPath,
        };
        if (settings.TrainLimit is int trainLimit) args.AddRange(["--train-limit", trainLimit.ToString(c)]);
        if (settings.TestLimit is int testLimit) args.AddRange(["--test-limit", testLimit.ToString(c)]);
        if (workers is int w) args.AddRange(["--workers", w.ToString(c)]);
        if (threads is int t) args.AddRange(["--threads", t.ToString(c)]);
        if (dataDirectory is not null) args.AddRange(["--data", dataDirectory]);
        if (wait) args.Add("--wait");
        return args;
    }

    /// <summary>
    /// Runs <c>study</c> with <paramref name="arguments"/> (as on the command line, without the word <c>study</c>) and
    /// returns when it has finished successfully.
    /// </summary>
    /// <exception cref="FileNotFoundException">The command line is not built.</exception>
    /// <exception cref="InvalidOperationException">It exited with an error; the message holds its error output.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; it was stopped as Ctrl+C stops it.</exception>
    public static void Run(IReadOnlyList<string> arguments, Action<string>? onLine = null, CancellationToken cancellationToken = default)
    {
        string cli = CliPath();
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(cli);
        info.ArgumentList.Add("study");
        foreach (string a in arguments) info.ArgumentList.Add(a);

        // Lines are handed to onLine on the calling thread (a notebook cell's output is captured there), in order.
        var errors = new StringBuilder();
        using var lines = new System.Collections.Concurrent.BlockingCollection<string>();
        int streamsOpen = 2;
        void Add(string? line)
        {
            if (line is not null) lines.Add(line);
            else if (Interlocked.Decrement(ref streamsOpen) == 0) lines.CompleteAdding();
        }
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (errors) errors.AppendLine(e.Data);
            Add(e.Data);
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Timer? killTimer = null;
        using (cancellationToken.Register(() =>
               {
                   Interrupt(process);
                   killTimer = new Timer(_ => Kill(process), null, StopGrace, Timeout.InfiniteTimeSpan);
               }))
        {
            foreach (string line in lines.GetConsumingEnumerable()) onLine?.Invoke(line);
            process.WaitForExit();
        }
        killTimer?.Dispose();

        if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException($"the study was stopped: {Trim(errors)}", cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the study exited with code {process.ExitCode}: {Trim(errors)}");
    }

    /// <summary>
    /// The built command line: <c>lib/Dropout.Cli/bin/&lt;configuration&gt;/net10.0/Dropout.Cli.dll</c> under the repository
    /// root, in the configuration of the loaded <c>Dropout.dll</c> when that is a build of this repository, else Release.
    /// </summary>
    /// <exception cref="FileNotFoundException">It is not built.</exception>
    public static string CliPath()
    {
        string root = Repository.LocateRoot() ?? Environment.CurrentDirectory;
        string configuration = "Release", framework = "net10.0";
        var here = new DirectoryInfo(Path.GetDirectoryName(typeof(StudyProcess).Assembly.Location) ?? "");
        if (here.Parent?.Parent?.Name == "bin") (configuration, framework) = (here.Parent.Name, here.Name);
        string dll = Path.Combine(root, "lib", "Dropout.Cli", "bin", configuration, framework, "Dropout.Cli.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"the command line is not built: {dll} is missing. Build it from {root} with: bash .ci/setup " +
                $"(or dotnet build lib/Dropout.Cli -c {configuration}).", dll);
        return dll;
    }

    /// <summary>Asks the study to stop as Ctrl+C does (SIGINT: it stops its workers at the end of their step and keeps finished runs).</summary>
    static void Interrupt(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            Kill(process);
            return;
        }
        try
        {
            if (kill(process.Id, SigInt) != 0) Kill(process);
        }
        catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            Kill(process);
        }
    }

    /// <summary>Ends the study and its workers at once (it did not stop in time, or cannot be signalled).</summary>
    static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // already gone
        }
    }

    /// <summary>The <c>dotnet</c> host: the one running this process, else the SDK's (DOTNET_HOST_PATH), else the one on PATH.</summary>
    static string DotnetHost()
    {
        string? host = Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet") return host;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    }

    static string Trim(StringBuilder text)
    {
        lock (text) return text.ToString().Trim();
    }

    const int SigInt = 2;

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
