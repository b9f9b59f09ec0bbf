using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

using Dropout.Tests;

namespace Dropout.Tests.Notebooks;

/// <summary>
/// notebooks/05-vanilla-vs-inverted-dropout.ipynb: its shape (Polyglot metadata, pinned references, a parameters cell
/// with quick mode, no committed outputs) and the facts it teaches, asserted on the library it calls.
/// </summary>
[Collection(SerialCollection.Name)] // seeds torch's global generator: parallel tests would draw from it too
public class InvertedDropoutNotebookTests
{
    public InvertedDropoutNotebookTests() => TorchNative.Ensure();

    const string NotebookName = "05-vanilla-vs-inverted-dropout.ipynb";

    static string NotebookPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "notebooks", NotebookName);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"notebooks/{NotebookName} was not found above {AppContext.BaseDirectory}.");
    }

    static JsonNode Notebook() => JsonNode.Parse(File.ReadAllText(NotebookPath()))!;

    static string Source(JsonNode cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonNode text => text.GetValue<string>(),
        null => "",
    };

    static List<JsonNode> CodeCells() => Notebook()["cells"]!.AsArray().Select(c => c!).Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();

    [Fact]
    public void HasPolyglotMetadataAndNoCommittedOutputs()
    {
        var nb = Notebook();
        Assert.Equal(4, nb["nbformat"]!.GetValue<int>());
        Assert.Equal(".net-csharp", nb["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("C#", nb["metadata"]!["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", nb["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        foreach (var cell in CodeCells())
        {
            Assert.Equal("csharp", cell["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
            Assert.Empty(cell["outputs"]!.AsArray());
            Assert.Null(cell["execution_count"]);
        }
    }

    [Fact]
    public void ReferencesPinnedPackagesAndTheLibrary()
    {
        string first = Source(CodeCells()[0]);
        Assert.Contains("#r \"nuget: TorchSharp-cpu, 0.107.0\"", first);
        Assert.Contains("#r \"nuget: Plotly.NET, 6.0.0\"", first);
        Assert.Contains("#r \"nuget: Plotly.NET.CSharp, 0.14.0\"", first);
        Assert.Contains("#r \"../lib/Dropout/bin/Release/net10.0/Dropout.dll\"", first);
    }

    [Fact]
    public void HasOneParametersCellWithQuickModeAndD2lDefaults()
    {
        var tagged = CodeCells().Where(c => c["metadata"]!["tags"] is JsonArray tags && tags.Any(t => t!.GetValue<string>() == "parameters")).ToList();
        string parameters = Source(Assert.Single(tagged));
        Assert.Contains("bool quick = false;", parameters);
        Assert.Contains("int numEpochs = 10;", parameters);
        Assert.Contains("double lr = 0.5;", parameters);
        Assert.Contains("int batchSize = 256;", parameters);
        Assert.Contains("double dropout1 = 0.2;", parameters);
        Assert.Contains("double dropout2 = 0.5;", parameters);
        Assert.Contains("int mcSamples = 50;", parameters);
        Assert.Contains(CodeCells(), c => Source(c).Contains("if (quick)"));
    }

    [Fact]
    public void NamesKeepAndDropProbabilitiesApart()
    {
        string code = string.Concat(CodeCells().Select(Source));
        Assert.Contains("double keepProb1 = 1 - dropout1, keepProb2 = 1 - dropout2;", code);
        // CS231n code takes keep probabilities, the blog's module drop probabilities.
        Assert.Contains("new VanillaDropout(layer == 1 ? keepProb1 : keepProb2)", code);
        Assert.Contains("new InvertedDropout(layer == 1 ? keepProb1 : keepProb2)", code);
        Assert.Contains("new CustomDropout(layer == 1 ? dropout1 : dropout2)", code);
    }

    // The facts the notebook teaches, on the library it calls.

    [Fact]
    public void VanillaAndInvertedAgreeInExpectationAtTheirOwnScales()
    {
        using var h = tensor(new float[] { 0.5f, 1, 2, 4 });
        var g = new Generator(11);
        using var vanilla = MaskAverage.Of(20_000, () => KeepProbabilityDropout.VanillaTrain(h, 0.5, g));
        using var inverted = MaskAverage.Of(20_000, () => KeepProbabilityDropout.InvertedTrain(h, 0.5, g));
        using var vanillaPredict = KeepProbabilityDropout.VanillaPredict(h, 0.5);
        Assert.True(vanilla.allclose(vanillaPredict, rtol: 0.03, atol: 0));
        Assert.True(inverted.allclose(KeepProbabilityDropout.InvertedPredict(h), rtol: 0.03, atol: 0));
    }

    [Fact]
    public void TheBlogsDoubleScalingShrinksEvalActivationsByOneMinusPAndTheFixRemovesIt()
    {
        using var X = rand(16, 784, generator: new Generator(2));
        using var blogNet = new DropoutMlp(layer => new CustomDropout(layer == 1 ? 0.2 : 0.5));
        using var fixedNet = new DropoutMlp(layer => new CustomDropoutFixed(layer == 1 ? 0.2 : 0.5));
        fixedNet.load_state_dict(blogNet.state_dict());
        blogNet.eval();
        fixedNet.eval();
        using var blog = blogNet.ForwardWithActivations(X);
        using var fixed_ = fixedNet.ForwardWithActivations(X);
        Assert.True(blog.H1.allclose(fixed_.H1 * 0.8, rtol: 1e-6, atol: 1e-7));

        // Averaged over masks, the training-mode layer-1 activation is the fixed eval one.
        blogNet.train();
        using var trainMean = MaskAverage.Of(500, () => { using var a = blogNet.ForwardWithActivations(X); return a.H1.clone(); });
        double ratio = fixed_.H1.mean().item<float>() / trainMean.mean().item<float>();
        Assert.InRange(ratio, 0.98, 1.02);
    }

    [Fact]
    public void MonteCarloDropoutIsTrainModeAveragingNotTheDeterministicPass()
    {
        random.manual_seed(3);
        using var net = new DropoutMlp(layer => new InvertedDropout(0.5));
        using var X = rand(64, 784);
        using var deterministic = MonteCarloDropout.DeterministicProbabilities(net, X);
        using var mc = MonteCarloDropout.Predict(net, X, samples: 20);
        Assert.False(mc.MeanProbabilities.allclose(deterministic, atol: 1e-6), "MC dropout must use dropout (train mode)");
        Assert.True(net.training, "the net's mode is restored (a new module trains)");
    }
}
