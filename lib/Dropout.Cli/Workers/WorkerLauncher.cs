using System.Diagnostics;
using Dropout.Cli.Commands;

namespace Dropout.Cli.Workers;

/// <summary>How <c>study</c> starts a <c>study-worker</c>: this very command line program, by the same route it was started.</summary>
internal static class WorkerLauncher
{
    /// <summary>
    /// The program's own native launcher (<c>Dropout.Cli</c>) when that is what runs, otherwise the <c>dotnet</c> host
    /// with this program's dll (<c>dotnet Dropout.Cli.dll</c>, <c>dotnet run</c>, or a test host that loaded it).
    /// </summary>
    public static ProcessStartInfo StartInfo()
    {
        string cliDll = typeof(WorkerLauncher).Assembly.Location;
        string? host = Environment.ProcessPath;
        ProcessStartInfo info;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == Path.GetFileNameWithoutExtension(cliDll))
            info = new ProcessStartInfo(host);
        else
        {
            info = new ProcessStartInfo(host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet"
                ? host
                : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
            info.ArgumentList.Add(cliDll);
        }
        info.ArgumentList.Add(StudyWorkerCommand.Name);
        return info;
    }
}
