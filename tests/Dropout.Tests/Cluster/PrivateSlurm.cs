using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Dropout.Tests.Cluster;

/// <summary>
/// A Slurm cluster of one node — this machine — that belongs to one test: its own munged (own key and socket),
/// slurmctld and slurmd with their own slurm.conf, ports, state, spool and log folders, all inside one temporary folder.
/// Debian's packages are installed when missing (as .ci/setup installs the project's others). <see cref="Dispose"/> stops
/// every process it started, by process id — the jobs still running, slurmstepd, the daemons — and deletes the folder.
/// If the test host ends first, a handler on process exit does the same; a host ended by a signal runs no handler (seen
/// with SIGTERM and SIGKILL), and a watchdog shell then stops the cluster within seconds.
/// </summary>
sealed class PrivateSlurm : IDisposable
{
    /// <summary>The Debian packages that make a single-node cluster (Slurm 22.05 and MUNGE on Debian 12).</summary>
    public static readonly string[] Packages = ["slurmctld", "slurmd", "slurm-client", "munge"];

    static readonly string[] Programs = ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch", "/usr/bin/squeue", "/usr/bin/scontrol",
        "/usr/bin/scancel", "/usr/bin/sinfo", "/usr/sbin/munged", "/usr/sbin/mungekey"];

    /// <summary>How long the test waits for a daemon to come up or a job to end before it fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);

    /// <summary>The partition (and cluster) name: every job of this cluster runs there.</summary>
    public const string Partition = "dropouttest";

    /// <summary>Set in the environment of the daemons and of every job, so that whatever outlives a stop is found by it.</summary>
    const string MarkerVariable = "DROPOUT_PRIVATE_SLURM";

    readonly List<(string Name, Process Process)> _daemons = [];
    readonly Lock _gate = new();
    bool _stopped;

    PrivateSlurm(string folder)
    {
        Folder = folder;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The temporary folder that holds everything of this cluster.</summary>
    public string Folder { get; }

    /// <summary>Its slurm.conf.</summary>
    public string Conf => Path.Combine(Folder, "slurm.conf");

    /// <summary>What a client command (and, through sbatch, every job) needs in its environment: this cluster's slurm.conf, the marker.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SLURM_CONF"] = Conf, [MarkerVariable] = Folder };

    /// <summary>Why this machine cannot have Slurm (not installed, and no apt-get or no root), or null when it has it or can install it.</summary>
    public static string? CannotInstallReason()
    {
        if (Installed()) return null;
        if (!File.Exists("/usr/bin/apt-get"))
            return $"Slurm is not installed and there is no apt-get to install it (Debian packages: {string.Join(" ", Packages)})";
        if (geteuid() != 0 && !(File.Exists("/usr/bin/sudo") && Run("/usr/bin/sudo", ["-n", "true"], TimeSpan.FromSeconds(20)).Exit == 0))
            return $"Slurm is not installed, this is not root, and sudo -n is not allowed: install {string.Join(" ", Packages)} (Debian) to run this test";
        return null;
    }

    static bool Installed() => Programs.All(File.Exists);

    /// <summary>Installs the Debian packages when a program is missing (as root, else through sudo -n), waiting for a dpkg lock another install holds.</summary>
    public static void EnsureInstalled()
    {
        if (Installed()) return;
        // As root apt-get itself; otherwise through sudo -n (never a password prompt: the test has no terminal).
        string[] aptGet = geteuid() == 0 ? ["apt-get"] : ["sudo", "-n", "apt-get"];
        string[] waitForLock = ["-o", "DPkg::Lock::Timeout=300"];
        var update = Run(aptGet[0], [.. aptGet[1..], .. waitForLock, "update", "-q"], TimeSpan.FromMinutes(10));
        Assert.True(update.Exit == 0, $"apt-get update failed ({update.Exit}):\n{update.Output}\n{update.Error}");
        var install = Run(aptGet[0], [.. aptGet[1..], .. waitForLock, "install", "-y", "-q", "--no-install-recommends", .. Packages], TimeSpan.FromMinutes(10),
            new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        Assert.True(install.Exit == 0, $"apt-get install {string.Join(" ", Packages)} failed ({install.Exit}):\n{install.Output}\n{install.Error}");
        Assert.True(Installed(), $"after installing {string.Join(" ", Packages)}, one of {string.Join(", ", Programs)} is still missing");
    }

    /// <summary>Installs Slurm if needed and starts the cluster; returns once its node is idle.</summary>
    public static PrivateSlurm Start()
    {
        EnsureInstalled();
        string folder = Directory.CreateTempSubdirectory("dropout-slurm-").FullName;
        var cluster = new PrivateSlurm(folder);
        try
        {
            cluster.StartWatchdog();
            cluster.StartDaemons();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The last resort, for a test host that ends without running its exit handlers (SIGTERM, SIGKILL): a shell in a session
    /// of its own that waits for this process to end, then stops every process of the cluster (as <see cref="Leftovers"/>
    /// finds them) by process id, TERM and then KILL, and deletes the folder. <see cref="Dispose"/> ends it after its own
    /// clean-up.
    /// </summary>
    void StartWatchdog()
    {
        var info = new ProcessStartInfo("setsid") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "/bin/sh", "-c", WatchdogScript, "watchdog", $"{System.Environment.ProcessId}", $"{MarkerVariable}={Folder}", Folder })
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        _watchdog = process;
    }

    const string WatchdogScript = """
        host=$1 marker=$2 folder=$3
        while kill -0 "$host" 2>/dev/null; do sleep 1; done
        marked() {
          for d in /proc/[0-9]*; do
            if tr '\0' '\n' < "$d/environ" 2>/dev/null | grep -qxF "$marker" ||
               for fd in "$d"/fd/*; do readlink "$fd"; done 2>/dev/null | grep -qF "$folder/"; then echo "${d#/proc/}"; fi
          done
        }
        for p in $(marked); do kill -TERM "$p" 2>/dev/null; done
        sleep 2
        for p in $(marked); do kill -KILL "$p" 2>/dev/null; done
        rm -rf "$folder"
        """;

    Process? _watchdog;

    void StartDaemons()
    {
        // munged insists that everyone may pass through the folders above its socket (0711), and that its key is private.
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Slurm runs on Linux");
        const UnixFileMode passThrough = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(Folder, passThrough);
        string munge = Directory.CreateDirectory(Path.Combine(Folder, "munge")).FullName;
        File.SetUnixFileMode(munge, passThrough);
        foreach (string sub in new[] { "state", "spool", "log" }) Directory.CreateDirectory(Path.Combine(Folder, sub));
        string key = Path.Combine(munge, "munge.key"), socket = Path.Combine(munge, "munge.socket");
        var created = Run("/usr/sbin/mungekey", ["--create", "--keyfile", key], TimeSpan.FromSeconds(30));
        Assert.True(created.Exit == 0, $"mungekey failed: {created.Error}");

        StartDaemon("munged", "/usr/sbin/munged", ["--foreground", $"--socket={socket}", $"--key-file={key}", $"--pid-file={munge}/munged.pid",
            $"--seed-file={munge}/munged.seed", $"--log-file={Folder}/log/munged.log"]);
        WaitFor(() => File.Exists(socket), "munged's socket");

        // The node is this machine under its short host name, reached on the loopback address whatever the name resolves to.
        // The daemons run as this user (root in CI; an unprivileged user's cluster runs that user's jobs just as well).
        string host = System.Environment.MachineName, user = System.Environment.UserName;
        var (controllerPort, nodePort) = (FreePort(), FreePort());
        File.WriteAllText(Conf, $"""
            # A private single-node cluster for one test (tests/Dropout.Tests/Cluster).
            ClusterName={Partition}
            SlurmctldHost={host}(127.0.0.1)
            SlurmctldPort={controllerPort}
            SlurmdPort={nodePort}
            SlurmUser={user}
            SlurmdUser={user}
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket={socket}
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            MpiDefault=none
            ReturnToService=2
            KillWait=5
            MinJobAge=3600
            StateSaveLocation={Folder}/state
            SlurmdSpoolDir={Folder}/spool
            SlurmctldPidFile={Folder}/state/slurmctld.pid
            SlurmdPidFile={Folder}/spool/slurmd.pid
            SlurmctldLogFile={Folder}/log/slurmctld.log
            SlurmdLogFile={Folder}/log/slurmd.log
            NodeName={host} NodeAddr=127.0.0.1 CPUs={System.Environment.ProcessorCount} State=UNKNOWN
            PartitionName={Partition} Nodes={host} Default=YES MaxTime=INFINITE State=UP

            """);
        StartDaemon("slurmctld", "/usr/sbin/slurmctld", ["-D", "-f", Conf]);
        StartDaemon("slurmd", "/usr/sbin/slurmd", ["-D", "-f", Conf]);
        WaitFor(() => Client("sinfo", "-h", "-o", "%t").Output.Trim() == "idle", "the node to be idle (sinfo)");
    }

    /// <summary>Starts a daemon in the foreground (it stays our child, so its process id is known), its output in log/NAME.out.</summary>
    void StartDaemon(string name, string program, string[] args)
    {
        // sh redirects the output to a file and then becomes the daemon (exec): the process id stays the same.
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" >\"$LOG\" 2>&1");
        info.ArgumentList.Add(program);
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["LOG"] = Path.Combine(Folder, "log", name + ".out");
        foreach (var (k, v) in Environment) info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        lock (_gate) _daemons.Add((name, process));
        Thread.Sleep(200);
        if (process.HasExited) Assert.Fail($"{name} exited at once ({process.ExitCode}):\n{Logs()}");
    }

    /// <summary>Runs a Slurm client command against this cluster.</summary>
    public (int Exit, string Output, string Error) Client(string command, params string[] args) =>
        Run(command, args, TimeSpan.FromSeconds(60), Environment);

    /// <summary>sbatch --parsable ARGS in <paramref name="workingDirectory"/>; returns the job id.</summary>
    public string Submit(string workingDirectory, string[] args)
    {
        var r = Run("sbatch", ["--parsable", .. args], TimeSpan.FromSeconds(60), Environment, workingDirectory);
        Assert.True(r.Exit == 0, $"sbatch {string.Join(" ", args)} failed ({r.Exit}): {r.Error}");
        return r.Output.Trim().Split(';')[0];
    }

    /// <summary>The state of a job or an array task ("12", "12_3"): PENDING, RUNNING, COMPLETED, CANCELLED, FAILED, ...</summary>
    public string State(string job) => Field(job, "JobState");

    /// <summary>One field of <c>scontrol -o show job</c> (the first record's).</summary>
    public string Field(string job, string name)
    {
        var r = Client("scontrol", "-o", "show", "job", job);
        Assert.True(r.Exit == 0, $"scontrol show job {job}: {r.Error}");
        string line = r.Output.Split('\n')[0];
        var match = System.Text.RegularExpressions.Regex.Match(line, $@"(?:^| ){name}=(\S*)");
        Assert.True(match.Success, $"no {name} in: {line}");
        return match.Groups[1].Value;
    }

    /// <summary>True while the job (every task of an array) is still in the queue, pending or running.</summary>
    public bool Queued(string job) => Client("squeue", "-h", "-j", job, "-o", "%i").Output.Trim().Length > 0;

    /// <summary>Waits until the job has left the queue.</summary>
    public void WaitUntilDone(string job) => WaitFor(() => !Queued(job), $"job {job} to end");

    /// <summary>Polls <paramref name="condition"/>; fails with the cluster's logs after <see cref="Patience"/>.</summary>
    public void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience) Assert.Fail($"waited {Patience.TotalSeconds} s for {what}\n{Logs()}");
            lock (_gate)
                foreach (var (name, process) in _daemons)
                    if (process.HasExited) Assert.Fail($"{name} ended ({process.ExitCode}) while waiting for {what}\n{Logs()}");
            Thread.Sleep(100);
        }
    }

    /// <summary>The last lines of every log of the cluster and of its jobs, for failure messages.</summary>
    public string Logs(string? jobsFolder = null)
    {
        var text = new StringBuilder();
        var files = Directory.EnumerateFiles(Path.Combine(Folder, "log")).ToList();
        if (jobsFolder is not null) files.AddRange(Directory.EnumerateFiles(jobsFolder, "slurm-*.out"));
        foreach (string file in files.Order())
        {
            var lines = File.ReadAllLines(file);
            text.AppendLine($"--- {file} (last 25 of {lines.Length} lines)");
            foreach (string line in lines.TakeLast(25)) text.AppendLine(line);
        }
        return text.ToString();
    }

    /// <summary>
    /// Cancels whatever still runs, stops slurmd, slurmctld and munged by process id, kills by process id any process of the
    /// cluster still there (<see cref="Leftovers"/>: slurmstepd, job processes), and deletes the folder. Idempotent.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop(quick: false);
    }

    void OnProcessExit(object? sender, EventArgs e)
    {
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
        }
        Stop(quick: true);
    }

    void Stop(bool quick)
    {
        var controller = _daemons.FirstOrDefault(d => d.Name == "slurmctld").Process;
        if (controller is { HasExited: false })
        {
            try
            {
                Client("scancel", "-p", Partition);
                var clock = Stopwatch.StartNew();
                while (Client("squeue", "-h", "-p", Partition, "-o", "%i").Output.Trim().Length > 0 && clock.Elapsed < TimeSpan.FromSeconds(quick ? 3 : 20)) Thread.Sleep(200);
            }
            catch (Exception)
            {
                // the controller may not answer; what runs is killed below all the same
            }
        }
        foreach (string name in new[] { "slurmd", "slurmctld", "munged" })
            foreach (var (_, process) in _daemons.Where(d => d.Name == name)) StopProcess(process, quick);
        KillMarked();
        if (_watchdog is { HasExited: false }) _watchdog.Kill();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    static void StopProcess(Process process, bool quick)
    {
        try
        {
            if (process.HasExited) return;
            kill(process.Id, Sigterm);
            if (!process.WaitForExit(quick ? 2000 : 15000)) process.Kill();
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>SIGKILL, by process id, to every process of this cluster that is still there.</summary>
    void KillMarked()
    {
        foreach (int pid in Leftovers(Folder)) kill(pid, Sigkill);
    }

    /// <summary>
    /// The processes of the cluster in <paramref name="folder"/> still alive (from /proc): those whose environment carries
    /// its marker (the daemons, the jobs and what they start), and those holding a file in the folder open — slurmstepd,
    /// which rewrites its environment for its process title but keeps slurmd's log and the job's output open.
    /// </summary>
    public static IReadOnlyList<int> Leftovers(string folder)
    {
        byte[] marker = Encoding.UTF8.GetBytes($"{MarkerVariable}={folder}\0");
        string inside = folder + "/";
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == System.Environment.ProcessId || Zombie(pid)) continue;
            try
            {
                if (File.ReadAllBytes(Path.Combine(dir, "environ")).AsSpan().IndexOf(marker) >= 0
                    || Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")).Any(fd => new FileInfo(fd).LinkTarget?.StartsWith(inside, StringComparison.Ordinal) == true))
                    found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // ended meanwhile, or not ours to read
            }
        }
        return found;
    }

    static bool Zombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// Runs a program to the end (stdin closed) and returns its exit code and output; kills it after <paramref name="timeout"/>.
    /// <paramref name="environment"/> adds variables to this process's; <paramref name="removeSlurm"/> leaves out every SLURM_ one it has.
    /// </summary>
    public static (int Exit, string Output, string Error) Run(string program, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, bool removeSlurm = false)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (string a in args) info.ArgumentList.Add(a);
        if (removeSlurm) foreach (string k in info.Environment.Keys.Where(k => k.StartsWith("SLURM_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(k);
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, output.Result, error.Result + $"\n(killed after {timeout.TotalSeconds} s)");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    const int Sigterm = 15, Sigkill = 9;

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    [DllImport("libc")]
    static extern uint geteuid();
}
