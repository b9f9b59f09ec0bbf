using System.CommandLine;
using Dropout.Notebooks.Runner.Jupyter;
using Dropout.Platform;

namespace Dropout.Cli.Commands;

/// <summary>
/// <c>kernel-prepare</c> (hidden): run by the kernel launcher (<c>Jupyter/dotnet-interactive-kernel</c>, which the
/// kernelspec and VS Code start) before the released kernel: readies TorchSharp (<see cref="TorchSharpPackages.Prepare"/>)
/// and prints libtorch's native folder on stdout, for the launcher to put first on <c>LD_LIBRARY_PATH</c>. Messages go
/// to stderr.
/// </summary>
internal static class KernelPrepareCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "kernel-prepare";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var cache = new Option<string?>("--cache") { Description = "The NuGet global packages folder (default: NUGET_PACKAGES, else ~/.nuget/packages)." };
        var command = new Command(Name, "Readies TorchSharp in the NuGet cache for a notebook kernel; prints libtorch's folder (internal).") { Hidden = true };
        command.Options.Add(cache);
        command.SetAction(result =>
        {
            string native = TorchSharpPackages.Prepare(result.GetValue(cache), message => Console.Error.WriteLine($"kernel-prepare: {message}"));
            Console.WriteLine(native);
            return 0;
        });
        return command;
    }
}
