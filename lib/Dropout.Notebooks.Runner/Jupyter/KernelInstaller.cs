using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dropout.Notebooks.Runner.Jupyter;

/// <summary>
/// Installs the released .NET Interactive kernel so that Jupyter and VS Code run the notebooks with charts (idempotent):
/// the pinned <c>dotnet-interactive</c> tool into <c>.tools/dotnet-interactive/</c> (never the user's global tools); its
/// FSharp.Core replaced by the 10.1 one Plotly.NET 6 needs (the tool ships 10.0, and every chart fails with
/// <c>FileNotFoundException: FSharp.Core, Version=10.1.0.0</c>); and the kernelspec, written in <c>.tools/jupyter/</c>
/// (for <c>JUPYTER_PATH</c>) and in the user's Jupyter folder unless another existing installation's is there.
/// </summary>
public static class KernelInstaller
{
    /// <summary>The kernelspec name the notebooks' metadata asks for.</summary>
    public const string KernelSpecName = ".net-csharp";

    /// <summary>The tool's NuGet id.</summary>
    public const string ToolPackage = "microsoft.dotnet-interactive";

    /// <summary>The kernelspec metadata key that marks a kernelspec as this project's.</summary>
    public const string MarkerKey = "dropout_notebooks";

    /// <summary>The tool version <c>.config/dotnet-tools.json</c> pins.</summary>
    /// <exception cref="InvalidDataException">The manifest does not pin the tool.</exception>
    public static string PinnedToolVersion(string repository)
    {
        string manifest = Path.Combine(repository, ".config", "dotnet-tools.json");
        var version = JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[ToolPackage]?["version"]?.GetValue<string>();
        return version ?? throw new InvalidDataException($"{manifest} does not pin {ToolPackage}.");
    }

    /// <summary>Where the project keeps its copy of the tool.</summary>
    public static string ToolDirectory(string repository) => Path.Combine(repository, ".tools", "dotnet-interactive");

    /// <summary>The project's Jupyter data folder (put it on <c>JUPYTER_PATH</c> to use this project's kernelspec).</summary>
    public static string ProjectJupyterDirectory(string repository) => Path.Combine(repository, ".tools", "jupyter");

    /// <summary>The launcher the kernelspec and VS Code start.</summary>
    public static string Launcher(string repository) => Path.Combine(repository, "lib", "Dropout.Notebooks.Runner", "Jupyter", "dotnet-interactive-kernel");

    /// <summary>The user's Jupyter data folder: <c>JUPYTER_DATA_DIR</c>, else <c>$XDG_DATA_HOME/jupyter</c>, else <c>~/.local/share/jupyter</c>.</summary>
    public static string UserJupyterDirectory() =>
        Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } data ? data
        : Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "jupyter")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "jupyter");

    /// <summary>
    /// Installs (or checks) everything, logging each step. <paramref name="fsharpCore"/> is the 10.1 FSharp.Core.dll to put
    /// in the tool; a null <paramref name="userJupyterDirectory"/> skips the user's kernelspec.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tool could not be installed; the message has dotnet's output.</exception>
    public static void Install(string repository, string fsharpCore, string? userJupyterDirectory, Action<string> log)
    {
        string version = PinnedToolVersion(repository);
        string tools = ToolDirectory(repository);
        string store = Path.Combine(tools, ".store", ToolPackage, version);
        if (File.Exists(Path.Combine(tools, "dotnet-interactive")) && Directory.Exists(store))
            log($"dotnet-interactive {version}: already in {tools}");
        else
        {
            if (Directory.Exists(tools)) Directory.Delete(tools, recursive: true);
            DotnetToolInstall(version, tools);
            log($"dotnet-interactive {version}: installed in {tools} (for this project only)");
        }

        string toolFSharpCore = Directory.GetFiles(store, "FSharp.Core.dll", SearchOption.AllDirectories).SingleOrDefault()
            ?? throw new InvalidOperationException($"the dotnet-interactive tool in {store} has no FSharp.Core.dll; delete {tools} and run this again.");
        if (File.ReadAllBytes(toolFSharpCore).AsSpan().SequenceEqual(File.ReadAllBytes(fsharpCore)))
            log($"FSharp.Core: the kernel already has {FileVersion(fsharpCore)}");
        else
        {
            string previous = FileVersion(toolFSharpCore);
            CopyAtomically(fsharpCore, toolFSharpCore);
            log($"FSharp.Core: replaced the kernel's {previous} by {FileVersion(fsharpCore)} (Plotly.NET 6 needs 10.1)");
        }

        WriteKernelSpec(Path.Combine(ProjectJupyterDirectory(repository), "kernels", KernelSpecName), repository, log, overwriteForeign: true);
        if (userJupyterDirectory is not null)
            WriteKernelSpec(Path.Combine(userJupyterDirectory, "kernels", KernelSpecName), repository, log, overwriteForeign: false);
    }

    /// <summary>The kernelspec (<c>kernel.json</c>) that starts this project's kernel.</summary>
    public static JsonObject KernelSpec(string repository) => new()
    {
        ["argv"] = new JsonArray(Launcher(repository), "jupyter", "--default-kernel", "csharp", "{connection_file}"),
        ["display_name"] = ".NET (C#)",
        ["language"] = "C#",
        ["metadata"] = new JsonObject
        {
            [MarkerKey] = new JsonObject { ["repository"] = repository },
            ["vscode"] = new JsonObject { ["extension_id"] = "ms-dotnettools.dotnet-interactive-vscode", ["kernel_id"] = "dotnet-interactive" },
        },
    };

    static void WriteKernelSpec(string directory, string repository, Action<string> log, bool overwriteForeign)
    {
        string path = Path.Combine(directory, "kernel.json");
        string wanted = KernelSpec(repository).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (File.Exists(path))
        {
            string existing = File.ReadAllText(path);
            if (existing == wanted) { log($"kernelspec {KernelSpecName}: already in {directory}"); return; }
            string? owner = TryParse(existing)?["metadata"]?[MarkerKey]?["repository"]?.GetValue<string>();
            bool stale = owner is not null && !File.Exists(Launcher(owner));
            if (!overwriteForeign && owner != repository && !stale)
            {
                log($"kernelspec {KernelSpecName}: {path} belongs to {owner ?? "another installation"}; left alone. " +
                    $"To use this project's kernel in Jupyter: export JUPYTER_PATH={ProjectJupyterDirectory(repository)}");
                return;
            }
        }
        Directory.CreateDirectory(directory);
        string temp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, wanted);
        File.Move(temp, path, overwrite: true);
        log($"kernelspec {KernelSpecName}: written to {directory}");
    }

    static JsonNode? TryParse(string json)
    {
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return null; }
    }

    static void DotnetToolInstall(string version, string tools)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "tool", "install", ToolPackage, "--version", version, "--tool-path", tools }) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet to install the kernel tool.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet tool install {ToolPackage} {version} failed (exit code {process.ExitCode}):\n{stdout.Result}{stderr}");
    }

    static void CopyAtomically(string source, string destination)
    {
        string temp = destination + $".{Environment.ProcessId}.tmp";
        File.Copy(source, temp, overwrite: true);
        File.Move(temp, destination, overwrite: true);
    }

    static string FileVersion(string path) => FileVersionInfo.GetVersionInfo(path) is { ProductVersion: { Length: > 0 } v } ? v.Split('+')[0] : "unknown version";
}
