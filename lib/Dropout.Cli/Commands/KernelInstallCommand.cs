using System.CommandLine;
using Dropout.Notebooks.Runner.Jupyter;
using Dropout.Platform;

namespace Dropout.Cli.Commands;

/// <summary>
/// <c>kernel-install</c>: installs the project's kernel (<see cref="KernelInstaller"/>); <c>bash .ci/setup</c> runs it.
/// </summary>
internal static class KernelInstallCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var noUser = new Option<bool>("--no-user-kernelspec") { Description = "Register the kernelspec only in the project (.tools/jupyter), not in the user's Jupyter folder." };
        var command = new Command("kernel-install", "Installs the .NET Interactive kernel (dotnet-interactive, with FSharp.Core 10.1 for Plotly.NET) for this project and registers it with Jupyter as .net-csharp.");
        command.Options.Add(noUser);
        command.SetAction(result =>
        {
            string repository = Repository.LocateRoot()
                ?? throw new UserError($"no {Repository.SolutionFile} found above {Directory.GetCurrentDirectory()}; run this from the repository.");
            string fsharpCore = Path.Combine(AppContext.BaseDirectory, "FSharp.Core.dll");
            KernelInstaller.Install(repository, fsharpCore, result.GetValue(noUser) ? null : KernelInstaller.UserJupyterDirectory(),
                message => Console.WriteLine($"kernel-install: {message}"));
            return 0;
        });
        return command;
    }
}
