using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dropout.Cli.Commands;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Platform;

namespace Dropout.Tests.Runner;

/// <summary>
/// Tests that start kernels (each a process with its own CPU appetite) run one at a time, so that timeouts and
/// timings mean something on a 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection : ICollectionFixture<RepositoryNotebooks>
{
    public const string Name = "Kernels";
}

/// <summary>Fixture notebooks, temporary notebooks, the built CLI, and runs of the runner.</summary>
static class RunnerTestSupport
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "notebooks", name);

    /// <summary>A new, empty folder of its own under the system temp folder (unique across concurrent test runs).</summary>
    public static string TempDirectory() => Directory.CreateTempSubdirectory("dropout-runner-tests-").FullName;

    public static string RepositoryRoot =>
        Repository.FindRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"no {Repository.SolutionFile} above {AppContext.BaseDirectory}");

    /// <summary>The CLI the developer runs: lib/Dropout.Cli's own build, in this test build's configuration.</summary>
    public static string CliDll()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string dll = Path.Combine(RepositoryRoot, "lib", "Dropout.Cli", "bin", framework.Parent!.Name, framework.Name, "Dropout.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build the solution first (dotnet build -c {framework.Parent.Name}).");
        return dll;
    }

    /// <summary>Kernel processes as the notebooks command starts them: the built CLI's notebook-kernel command.</summary>
    public static KernelProcess Kernel => new("dotnet", [CliDll(), NotebookKernelCommand.Name]);

    /// <summary>
    /// Writes a Polyglot C# notebook whose cells are <paramref name="cells"/>: a cell starting with "[parameters]" is a
    /// code cell tagged <c>parameters</c>, "[markdown]" a markdown cell, "[html]" a cell for the html kernel.
    /// </summary>
    public static string WriteNotebook(string directory, string name, params string[] cells)
    {
        var array = new JsonArray();
        foreach (string cell in cells)
        {
            if (cell.StartsWith("[markdown]", StringComparison.Ordinal))
            {
                array.Add(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = cell["[markdown]".Length..] });
                continue;
            }
            bool parameters = cell.StartsWith("[parameters]", StringComparison.Ordinal);
            bool html = cell.StartsWith("[html]", StringComparison.Ordinal);
            string kernel = html ? "html" : "csharp";
            var metadata = new JsonObject
            {
                ["dotnet_interactive"] = new JsonObject { ["language"] = kernel },
                ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernel },
            };
            if (parameters) metadata["tags"] = new JsonArray("parameters");
            array.Add(new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = metadata, ["outputs"] = new JsonArray(),
                ["source"] = parameters ? cell["[parameters]".Length..] : html ? cell["[html]".Length..] : cell,
            });
        }
        var notebook = new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" } },
            ["nbformat"] = 4, ["nbformat_minor"] = 2,
        };
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>Runs one notebook with the runner (in a kernel process of its own) into a fresh output folder.</summary>
    public static async Task<NotebookResult> RunOne(string notebook, Func<NotebookRunOptions, NotebookRunOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var options = new NotebookRunOptions { Notebooks = [notebook], OutputDirectory = TempDirectory() };
        if (configure is not null) options = configure(options);
        var run = await NotebookRunner.RunAsync(options, Kernel, cancellationToken);
        return Assert.Single(run.Notebooks);
    }

    /// <summary>Validates a notebook with Debian's python3-nbformat; returns its complaint, or "" when valid.</summary>
    public static string NbformatComplaints(string path)
    {
        var (code, _, error) = Run("/usr/bin/python3", ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path]);
        return code == 0 ? "" : error;
    }

    /// <summary>Runs a program to completion; its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> arguments,
        IDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        Assert.True(File.Exists(program) || !program.Contains('/'), $"{program} is missing; run `bash .ci/setup`.");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish in time; stderr:\n{stderr.Result}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
