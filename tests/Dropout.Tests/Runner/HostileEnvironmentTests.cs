using Dropout.Notebooks.Runner.Jupyter;
using static Dropout.Tests.Runner.ExecutedNotebook;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>
/// TorchSharp loads in every path the project starts — the CLI, the runner, the Jupyter kernel, the VS Code
/// transport — in a notebook that uses TorchSharp without the project's library, with an empty NuGet cache
/// (<c>NUGET_PACKAGES</c> pointing at a new folder), and with a foreign <c>libtorch_cpu.so</c> first on the library
/// path, as Debian's <c>libtorch-dev</c> puts one on the system path (CI installs that package too). The same cell in
/// the released kernel started without the project's launcher fails there: the hazard is real.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
public sealed class HostileEnvironmentTests : IDisposable
{
    const string TorchCell = "TorchSharp.torch.ones(2, 3).sum().item<float>()";
    readonly string _cache = TempDirectory();
    readonly string _foreignLibTorch = TempDirectory();
    readonly Dictionary<string, string> _environment;

    public HostileEnvironmentTests()
    {
        // A stand-in for a system libtorch that is not TorchSharp's: any other library under the name libtorch_cpu.so.
        File.Copy(new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1" }.First(File.Exists),
            Path.Combine(_foreignLibTorch, "libtorch_cpu.so"));
        _environment = new() { ["NUGET_PACKAGES"] = _cache, ["LD_LIBRARY_PATH"] = _foreignLibTorch };
    }

    public void Dispose()
    {
        Directory.Delete(_cache, recursive: true);
        Directory.Delete(_foreignLibTorch, recursive: true);
    }

    [Fact]
    public void TorchSharpLoadsInTheCliTheRunnerJupyterAndVsCodeWithAnEmptyCacheAndAForeignLibTorch()
    {
        string notebooks = TempDirectory();
        string notebook = WriteNotebook(notebooks, "torch-only.ipynb", "#r \"nuget: TorchSharp-cpu, 0.107.0\"", TorchCell);

        // VS Code's transport first: its launcher restores TorchSharp into the empty cache.
        using (var vscode = new StdioKernelClient(KernelInstaller.Launcher(RepositoryRoot), ["[vscode]", "stdio", "--working-dir", notebooks], _environment))
        {
            vscode.WaitUntilReady(TimeSpan.FromMinutes(5));
            Assert.True(vscode.Submit("#r \"nuget: TorchSharp-cpu, 0.107.0\"", TimeSpan.FromMinutes(5)).Succeeded, vscode.Stderr);
            var (succeeded, failure, events) = vscode.Submit(TorchCell, TimeSpan.FromMinutes(5));
            Assert.True(succeeded, failure);
            Assert.Contains("<pre>6</pre>", StdioKernelClient.Shown(events)[0]["text/html"]);
        }
        Assert.True(Directory.Exists(Path.Combine(_cache, "torchsharp", "0.107.0")), "TorchSharp was not restored into the empty cache");

        // Jupyter.
        string executed = Path.Combine(notebooks, "executed.ipynb");
        var jupyter = JupyterKernelTests.ExecuteWithJupyter(notebook, notebooks, executed, _environment);
        Assert.True(jupyter.ExitCode == 0, jupyter.Stderr);
        var cell = ExecutedNotebook.Load(executed).Cell(TorchCell);
        Assert.Empty(Errors(cell));
        Assert.Contains("<pre>6</pre>", Displays(cell)[0]["text/html"]);

        // The runner (a notebooks command in this environment).
        var runner = Run("dotnet", [CliDll(), "notebooks", notebook, "--out", TempDirectory()], _environment);
        Assert.True(runner.ExitCode == 0, runner.Stdout + runner.Stderr);

        // The CLI's own training.
        var train = Run("dotnet", [CliDll(), "train", "--epochs", "1", "--train-limit", "1000", "--test-limit", "200"], _environment);
        Assert.True(train.ExitCode == 0, train.Stdout + train.Stderr);
        Assert.Contains("epoch  1/1", train.Stdout);
    }

    [Fact]
    public void TheReleasedKernelStartedWithoutTheLauncherFailsOnTheSameCell()
    {
        // Prepare the cache as the launcher would (restore, GLIBCXX), but start the tool directly: no LD_LIBRARY_PATH fix.
        Run("dotnet", [CliDll(), "kernel-prepare"], _environment);
        string tool = Path.Combine(KernelInstaller.ToolDirectory(RepositoryRoot), "dotnet-interactive");
        using var kernel = new StdioKernelClient(tool, ["[vscode]", "stdio", "--working-dir", TempDirectory()], _environment);
        kernel.WaitUntilReady(TimeSpan.FromMinutes(5));
        Assert.True(kernel.Submit("#r \"nuget: TorchSharp-cpu, 0.107.0\"", TimeSpan.FromMinutes(5)).Succeeded, kernel.Stderr);
        var (succeeded, failure, _) = kernel.Submit(TorchCell, TimeSpan.FromMinutes(5));
        Assert.False(succeeded, "TorchSharp loaded although a foreign libtorch_cpu.so came first on the library path: this test proves nothing");
        Assert.Contains("TorchSharp", failure); // TorchSharp's own load error, or the kernel process dying with it
    }
}
