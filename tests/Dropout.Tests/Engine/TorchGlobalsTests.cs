using Dropout.Notebooks.Engine;
using static Dropout.Tests.Engine.EngineTestSupport;

namespace Dropout.Tests.Engine;

[Collection(EngineCollection.Name)]
public class TorchGlobalsTests
{
    [Fact]
    public async Task TorchPrintOptionsAndDefaultsDoNotLeakIntoTheNextNotebook()
    {
        string dir = TempDirectory();
        const string show = "torch.ones(2, 2).ToString(TorchSharp.TensorStringStyle.Default) + \" \" + torch.zeros(1).dtype";
        string first = WriteNotebook(dir, "first.ipynb",
            "#r \"nuget: TorchSharp-cpu, 0.107.0\"\nusing TorchSharp;\ntorch.set_printoptions(style: TorchSharp.TensorStringStyle.Numpy, floatFormat: \"F3\");\ntorch.set_default_dtype(torch.float64);\n" + show);
        string second = WriteNotebook(dir, "second.ipynb", "#r \"nuget: TorchSharp-cpu, 0.107.0\"\nusing TorchSharp;\n" + show);

        var run = await NotebookRunner.RunAsync(new NotebookRunOptions { Notebooks = [first, second], OutputDirectory = TempDirectory() });

        string changed = Plain(run.Notebooks[0]), fresh = Plain(run.Notebooks[1]);
        Assert.Contains("[[1.000, 1.000]", changed);
        Assert.EndsWith("Float64", changed);
        Assert.DoesNotContain("[[", fresh);
        Assert.EndsWith("Float32", fresh);
    }

    static string Plain(NotebookResult notebook)
    {
        Assert.True(notebook.Status == NotebookStatus.Succeeded, notebook.Failure);
        return Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[0].Outputs)).Data["text/plain"];
    }
}
