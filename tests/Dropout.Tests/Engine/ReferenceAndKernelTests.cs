using Dropout.Notebooks.Engine;
using static Dropout.Tests.Engine.EngineTestSupport;

namespace Dropout.Tests.Engine;

[Collection(EngineCollection.Name)]
public class ReferenceAndKernelTests
{
    static string PlainResult(ExecutedCell cell) =>
        Assert.Single(cell.Outputs.OfType<DisplayOutput>(), o => o.IsResult).Data["text/plain"];

    [Fact]
    public async Task ARelativeDllOfAnAssemblyTheEngineRunsBindsToTheEnginesCopyAtRuntime()
    {
        string dir = TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "refs"));
        File.Copy(typeof(TorchNative).Assembly.Location, Path.Combine(dir, "refs", "Dropout.dll"));
        string notebook = WriteNotebook(dir, "reference.ipynb",
            "#r \"refs/Dropout.dll\"\n#r \"nuget: TorchSharp-cpu, 0.107.0\"",
            "typeof(Dropout.TorchNative).Assembly.Location",
            "Dropout.TorchNative.Ensure().StartsWith(\"TorchSharp native fix\")",
            "TorchSharp.torch.ones(2, 3).sum().item<float>()");

        var result = await RunOne(notebook);

        Assert.True(result.Status == NotebookStatus.Succeeded, result.Failure);
        Assert.Equal(typeof(TorchNative).Assembly.Location, PlainResult(result.Cells[1]));
        Assert.Equal("True", PlainResult(result.Cells[2]));
        Assert.Equal("6", PlainResult(result.Cells[3])); // the natives load through the engine's TorchSharp
    }

    [Fact]
    public async Task CSharpMagicLinesLoadAndDisplayUpdatesWorkLikeTheKernel()
    {
        string dir = TempDirectory();
        File.WriteAllText(Path.Combine(dir, "helper.csx"), "int Helper() => 41;");
        string notebook = WriteNotebook(dir, "kernel.ipynb",
            "#!csharp\n#load \"helper.csx\"\nHelper() + 1",
            "var shown = display(1);\nshown.Update(2);",
            "int quiet = 3;\nshown.Update(3);",
            "string nothing = null;\nnothing");

        var result = await RunOne(notebook);

        Assert.True(result.Status == NotebookStatus.Succeeded, result.Failure);
        Assert.Equal("42", PlainResult(result.Cells[0]));
        // Updated in place, also from a later cell, as in the kernel.
        Assert.Equal("3", Assert.IsType<DisplayOutput>(Assert.Single(result.Cells[1].Outputs)).Data["text/plain"]);
        Assert.Empty(result.Cells[2].Outputs); // a statement with a semicolon has no value to show
        Assert.Empty(result.Cells[3].Outputs); // null results are not shown
    }

    [Fact]
    public async Task FormatterRegistrationsDoNotLeakIntoTheNextNotebook()
    {
        string dir = TempDirectory();
        string first = WriteNotebook(dir, "first.ipynb", "Formatter.Register<int>(i => $\"int {i}\", \"text/plain\");\n5");
        string second = WriteNotebook(dir, "second.ipynb", "5");

        var run = await NotebookRunner.RunAsync(new NotebookRunOptions { Notebooks = [first, second], OutputDirectory = TempDirectory() });

        Assert.Equal("int 5", PlainResult(run.Notebooks[0].Cells[0]));
        Assert.Equal("5", PlainResult(run.Notebooks[1].Cells[0]));
    }

    [Fact]
    public async Task TorchPrintOptionsDefaultsAndThreadsDoNotLeakIntoTheNextNotebook()
    {
        string dir = TempDirectory();
        const string reference = "#r \"nuget: TorchSharp-cpu, 0.107.0\"\n";
        const string state = "$\"{TorchSharp.torch.get_num_threads()} {TorchSharp.torch.zeros(1).dtype}\"";
        string first = WriteNotebook(dir, "first.ipynb",
            reference + "TorchSharp.torch.set_printoptions(style: TorchSharp.torch.numpy, maxColumns: 20);\nTorchSharp.torch.ones(2, 3)",
            "TorchSharp.torch.set_num_threads(1);\nTorchSharp.torch.set_default_dtype(TorchSharp.torch.float64);\n" + state);
        string second = WriteNotebook(dir, "second.ipynb", reference + "TorchSharp.torch.ones(2, 3)", state);

        var run = await NotebookRunner.RunAsync(new NotebookRunOptions { Notebooks = [first, second], OutputDirectory = TempDirectory() });

        Assert.Equal("[[1, 1, 1]\n [1, 1, 1]]", PlainResult(run.Notebooks[0].Cells[0]));
        Assert.Equal("1 Float64", PlainResult(run.Notebooks[0].Cells[1]));
        Assert.Equal("[2x3], type = Float32, device = cpu\n 1 1 1\n 1 1 1\n", PlainResult(run.Notebooks[1].Cells[0]));
        Assert.Equal($"{TorchSharp.torch.get_num_threads()} Float32", PlainResult(run.Notebooks[1].Cells[1]));
    }

    [Fact]
    public async Task OtherLanguagesAreRefused()
    {
        string dir = TempDirectory();
        string notebook = WriteNotebook(dir, "fsharp.ipynb", "1");
        File.WriteAllText(notebook, File.ReadAllText(notebook).Replace("\"kernelName\": \"csharp\"", "\"kernelName\": \"fsharp\""));
        var result = await RunOne(notebook);
        var error = Assert.IsType<ErrorOutput>(Assert.Single(result.Cells[0].Outputs));
        Assert.Equal(("UnsupportedLanguage", "the cell's language is 'fsharp'; the headless engine runs C# cells only."), (error.Name, error.Value));
    }

    [Fact]
    public async Task InPlaceOverwritesTheSourceOtherwiseItIsLeftAlone()
    {
        string dir = TempDirectory();
        string notebook = WriteNotebook(dir, "inplace.ipynb", "6 * 7");
        string before = File.ReadAllText(notebook);
        await RunOne(notebook);
        Assert.Equal(before, File.ReadAllText(notebook));

        var result = await RunOne(notebook, o => o with { InPlace = true });
        Assert.Equal(notebook, result.ExecutedNotebook);
        Assert.Contains("\"42\"", File.ReadAllText(notebook));
        Assert.Equal("", NbformatComplaints(notebook));
    }
}
