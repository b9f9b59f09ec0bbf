using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dropout.Study;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>Notebook 04 as committed: the conventions, and the study told in the source's order.</summary>
public class ProbabilityStudyNotebookTests
{
    const string Name = "04-dropout-probability-study.ipynb";
    static NotebookFile Notebook() => NotebookFile.Load(Name);

    [Fact]
    public void FollowsTheNotebookConventions()
    {
        var nb = Notebook();
        nb.AssertFollowsConventions();
        foreach (string p in new[] { "int numEpochs = 10;", "double lr = 0.5;", "int batchSize = 256;", "int numHiddens = 256;", "int seeds = 3;" })
            Assert.Contains(p, nb.ParametersSource);
    }

    [Fact]
    public void OneSectionPerSourcePairInTheSourcesOrder()
    {
        var calls = Notebook().CodeSources
            .Select(s => Regex.Match(s, @"^Pair\(([\d.]+), ([\d.]+)\)$"))
            .Where(m => m.Success)
            .Select(m => new DropoutPair(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(StudyPlan.SourcePairs, calls);
    }

    [Fact]
    public void TheSourcesClaimsAreDataAndEachConclusionGetsAVerdict()
    {
        var nb = Notebook();
        string code = string.Join("\n", nb.CodeSources);
        foreach (string claim in new[] { "[new(0.2, 0.5)]   = (\"≈ 0.35\"", "[new(0.5, 0.8)]   = (\"≈ 0.45\"", "[new(0.8, 0.5)]   = (\"above 0.5\"",
                     "[new(0.02, 0.05)] = (\"≈ 0.30\"", "[new(0.02, 0.02)] = (\"≈ 0.30\"", "[new(0.4, 0.4)]   = (\"≈ 0.38\"", "[new(0.6, 0.6)]   = (\"≈ 0.42\"" })
            Assert.Contains(claim, code);
        Assert.Contains("This is the source's assert failing, as in the source", code);
        foreach (string verdict in new[] { "conclusion 1 holds", "conclusion 2 on train loss", "conclusion 3 as stated" })
            Assert.Contains(verdict, code);
        int conclusions = nb.Markdown.IndexOf("### The source's conclusions", StringComparison.Ordinal);
        int beyond = nb.Markdown.IndexOf("## Beyond the source", StringComparison.Ordinal);
        Assert.True(conclusions >= 0 && conclusions < beyond, "the source's conclusions come before Beyond the source");
    }
}

/// <summary>Notebook 04 executed in quick mode: what its outputs say.</summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
public class ProbabilityStudyNotebookRunTests
{
    [Fact]
    public async Task QuickRunTrainsEveryPairAndPrintsTheChecksAndVerdicts()
    {
        string path = Path.Combine(NotebookFile.RepositoryRoot(), "notebooks", "04-dropout-probability-study.ipynb");
        // A results path that does not exist: the notebook must train everything itself.
        var result = await RunnerTestSupport.RunOne(path, o => o with
        {
            Quick = true,
            Parameters = [new("resultsPath", "/nonexistent/results.csv"), new("gridResultsPath", "/nonexistent/grid.csv")],
        });
        Assert.True(result.Status == Dropout.Notebooks.Runner.Execution.NotebookStatus.Succeeded, result.Failure);
        var executed = JsonNode.Parse(File.ReadAllText(result.ExecutedNotebook!))!;
        string text = string.Join("\n", executed["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Where(o => o!["output_type"]!.GetValue<string>() == "stream")
            .Select(o => ExecutedNotebook.Text(o!["text"])));
        Assert.Contains("no results file at /nonexistent/results.csv; training here", text);
        Assert.Contains("12 runs ready (12 trained here)", text);
        Assert.Matches("This is the source's assert failing, as in the source:|d2l's assert passed in this run", text);
        Assert.Contains("quick mode: tiny runs; the 'holds?' column is printed but means nothing here.", text);
        Assert.Contains("p1    p2    seeds  train_loss", text);
        Assert.Equal(2, Regex.Matches(text, "=> on (train_loss|test_acc): lower-first").Count);
        Assert.Contains("=> conclusion 2 on train loss", text);
        Assert.Contains("=> on test accuracy, ", text);
        Assert.Contains("on test acc: clearly better than", text);
    }
}
