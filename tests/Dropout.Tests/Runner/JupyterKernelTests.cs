using Dropout.Notebooks.Runner.Html;
using Dropout.Notebooks.Runner.Jupyter;
using static Dropout.Tests.Runner.ExecutedNotebook;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>
/// Every repository notebook, in quick mode, executed by Jupyter's own executor (Debian's nbclient) on the
/// kernelspec <c>.net-csharp</c> that <c>bash .ci/setup</c> installs: the released kernel, not the runner. No error
/// output anywhere; every chart Plotly.NET.Interactive's output; every table the kernel's; and the same charts,
/// tables and printed lines as the runner's run of the same notebook.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
public class JupyterKernelTests(RepositoryNotebooks notebooks)
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (string name in RepositoryNotebooks.Names) data.Add(name);
        return data;
    }

    [Fact]
    public void TheRepositoryHasNotebooks() => Assert.NotEmpty(RepositoryNotebooks.Names);

    [Fact]
    public void TheProjectKernelSpecStartsTheProjectsLauncher()
    {
        string spec = Path.Combine(KernelInstaller.ProjectJupyterDirectory(RepositoryRoot), "kernels", KernelInstaller.KernelSpecName, "kernel.json");
        Assert.True(File.Exists(spec), $"{spec} is missing; run `bash .ci/setup` (it runs kernel-install).");
        Assert.Equal(KernelInstaller.KernelSpec(RepositoryRoot).ToJsonString(), System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(spec))!.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task RunsInJupyterWithoutErrorsAndShowsWhatTheRunnerShows(string name)
    {
        string directory = TempDirectory();
        string executed = Path.Combine(directory, "executed.ipynb");
        var (code, _, error) = ExecuteWithJupyter(RepositoryNotebooks.WriteQuickCopy(name, directory), RepositoryNotebooks.Folder, executed, new Dictionary<string, string>());
        Assert.True(code == 0, $"nbclient failed on {name}:\n{error}");

        var jupyter = ExecutedNotebook.Load(executed);
        var errors = jupyter.CodeCells.SelectMany(Errors).Select(e => $"{e["ename"]}: {e["evalue"]}").ToList();
        Assert.True(errors.Count == 0, $"{name} in Jupyter:\n{string.Join("\n", errors)}");
        Assert.Equal("", NbformatComplaints(executed));

        var runner = await notebooks.QuickAsync(name);
        var jupyterCells = jupyter.CodeCells.ToList();
        var runnerCells = runner.CodeCells.ToList();
        Assert.Equal(runnerCells.Count, jupyterCells.Count);
        Assert.True(runnerCells.Sum(ChartCount) == jupyterCells.Sum(ChartCount), $"{name}: the runner drew {runnerCells.Sum(ChartCount)} charts, Jupyter {jupyterCells.Sum(ChartCount)}");
        for (int i = 0; i < runnerCells.Count; i++)
        {
            Assert.Equal(ChartCount(runnerCells[i]), ChartCount(jupyterCells[i]));
            // Live charts end as the final picture in both (Jupyter applies the kernel's in-place updates too).
            Assert.Equal(ChartXs(runnerCells[i]), ChartXs(jupyterCells[i]));
            Assert.Equal(Tables(runnerCells[i]), Tables(jupyterCells[i]));
            // The same lines printed: every line the same up to its numbers, the training lines exactly (up to their times).
            Assert.Equal(Skeleton(Stream(runnerCells[i])), Skeleton(Stream(jupyterCells[i])));
            Assert.Equal(EpochLines(Stream(runnerCells[i])), EpochLines(Stream(jupyterCells[i])));
        }
    }

    /// <summary>The x values of every trace of every chart the cell shows.</summary>
    static IReadOnlyList<string> ChartXs(System.Text.Json.Nodes.JsonNode cell) =>
        Displays(cell).Select(d => d.GetValueOrDefault("text/html") ?? "").Where(OfflinePlotly.IsChartHtml)
            .SelectMany(h => System.Text.RegularExpressions.Regex.Matches(h, "\"x\":\\[[^\\]]*\\]").Select(m => m.Value)).ToList();

    static int Tables(System.Text.Json.Nodes.JsonNode cell) => Displays(cell).Count(d => d.ContainsKey("text/csv"));

    /// <summary>
    /// The lines with their numbers as #. Runs trained side by side (<c>ParallelRuns</c>) report as they finish, in an order
    /// that changes from one execution to the next: those progress lines are compared as a set.
    /// </summary>
    static string Skeleton(string text)
    {
        var lines = System.Text.RegularExpressions.Regex.Replace(text.Replace("\r\n", "\n"), @"\d+(\.\d+)?", "#").Split('\n');
        bool IsProgress(string line) => line.StartsWith("#/# ", StringComparison.Ordinal) && line.Contains(" elapsed, about ", StringComparison.Ordinal);
        return string.Join("\n", lines.Where(l => !IsProgress(l)).Concat(lines.Where(IsProgress).Order(StringComparer.Ordinal)));
    }

    static IReadOnlyList<string> EpochLines(string text) =>
        text.Replace("\r\n", "\n").Split('\n').Where(l => l.TrimStart().StartsWith("epoch", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\(\d+(\.\d+)? s\)", "(T)")).ToList();

    /// <summary>
    /// Runs nbclient on <paramref name="notebook"/> with the project's kernelspec (JUPYTER_PATH), the kernel in
    /// <paramref name="workingDirectory"/>, writing the executed notebook to <paramref name="executed"/>.
    /// </summary>
    public static (int ExitCode, string Stdout, string Stderr) ExecuteWithJupyter(string notebook, string workingDirectory, string executed, IDictionary<string, string> environment)
    {
        const string script = """
            import sys, nbformat
            from nbclient import NotebookClient
            nb = nbformat.read(sys.argv[1], as_version=4)
            NotebookClient(nb, timeout=1200, kernel_name='.net-csharp', allow_errors=True,
                           resources={'metadata': {'path': sys.argv[2]}}).execute()
            nbformat.write(nb, sys.argv[3])
            """;
        var env = new Dictionary<string, string>(environment) { ["JUPYTER_PATH"] = KernelInstaller.ProjectJupyterDirectory(RepositoryRoot) };
        return Run("/usr/bin/python3", ["-c", script, notebook, workingDirectory, executed], env, timeout: TimeSpan.FromMinutes(25));
    }
}
