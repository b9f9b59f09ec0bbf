using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Dropout.Cli.Bench;

/// <summary>
/// Makes sure the PyTorch reference can run: Debian's <c>python3-torch</c> (torch 1.13) and <c>libopenblas0-pthread</c>
/// (without it torch falls back to the slow reference BLAS), installed with apt-get only when missing, saying so first.
/// </summary>
internal static class PytorchSetup
{
    /// <summary>The Python the reference runs on (Debian's, where python3-torch installs).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The Debian packages the reference needs.</summary>
    public static readonly IReadOnlyList<string> Packages = ["python3-torch", "libopenblas0-pthread"];

    /// <summary>Installs what is missing, or throws <see cref="UserError"/> saying how to do it by hand.</summary>
    public static void EnsureInstalled(TextWriter log, CancellationToken cancellationToken)
    {
        var missing = Missing();
        if (missing.Count == 0) return;
        bool root = geteuid() == 0;
        string[] command = root ? ["apt-get", "install", "-y", .. missing] : ["sudo", "apt-get", "install", "-y", .. missing];
        log.WriteLine($"--peer pytorch needs the Debian package(s) {string.Join(", ", missing)}, which are not installed. " +
                      $"Installing them now: {string.Join(' ', command)}");
        int status = Run(command, cancellationToken);
        if (status != 0)
        {
            // A fresh machine may have no package lists yet.
            log.WriteLine("apt-get install failed; refreshing the package lists (apt-get update) and trying once more.");
            string[] update = root ? ["apt-get", "update"] : ["sudo", "apt-get", "update"];
            if (Run(update, cancellationToken) == 0) status = Run(command, cancellationToken);
        }
        var stillMissing = Missing();
        if (status != 0 || stillMissing.Count > 0)
            throw new UserError($"could not install {string.Join(", ", stillMissing.Count > 0 ? stillMissing : missing)} for --peer pytorch " +
                                $"(apt-get exited {status}). Install them yourself with `sudo apt-get install {string.Join(' ', Packages)}`, " +
                                "or run bench without --peer.");
    }

    /// <summary>The packages of <see cref="Packages"/> that are not usable now.</summary>
    public static IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (!File.Exists(Python) || Capture(Python, ["-c", "import torch"]).Status != 0) missing.Add("python3-torch");
        var (status, output) = Capture("dpkg-query", ["-W", "-f=${Status}", "libopenblas0-pthread"]);
        if (status != 0 || !output.Contains("install ok installed", StringComparison.Ordinal)) missing.Add("libopenblas0-pthread");
        return missing;
    }

    static (int Status, string Output) Capture(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "");
        }
    }

    static int Run(string[] command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command[0]);
        foreach (string a in command.Skip(1)) info.ArgumentList.Add(a);
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        try
        {
            using var process = Process.Start(info)!;
            process.WaitForExitAsync(cancellationToken).GetAwaiter().GetResult();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserError($"cannot run {command[0]} to install {string.Join(", ", Packages)} ({e.Message}). " +
                                $"Install them yourself with `sudo apt-get install {string.Join(' ', Packages)}`, or run bench without --peer.");
        }
    }

    [DllImport("libc")]
    static extern uint geteuid();
}
