using System.Text.Json;
using System.Text.RegularExpressions;
using Dropout.Study;

namespace Dropout.Tests.Notebooks;

/// <summary>Notebook 04 as committed: the conventions, and the study told in the source's order.</summary>
public class ProbabilityStudyNotebookTests
{
    static readonly string NotebookPath = Path.Combine(StudyFiles.RepositoryRoot, "notebooks", "04-dropout-probability-study.ipynb");

    static JsonElement Notebook() => JsonDocument.Parse(File.ReadAllText(NotebookPath)).RootElement;

    static IEnumerable<(string Type, string Source, JsonElement Cell)> Cells() =>
        Notebook().GetProperty("cells").EnumerateArray().Select(c => (c.GetProperty("cell_type").GetString()!,
            string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())), c));

    [Fact]
    public void FollowsTheNotebookConventions()
    {
        var nb = Notebook();
        Assert.Equal(4, nb.GetProperty("nbformat").GetInt32());
        Assert.Equal(2, nb.GetProperty("nbformat_minor").GetInt32());
        Assert.Equal(".net-csharp", nb.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        var code = Cells().Where(c => c.Type == "code").ToList();
        Assert.All(code, c => Assert.Empty(c.Cell.GetProperty("outputs").EnumerateArray()));
        Assert.All(code, c => Assert.Equal(JsonValueKind.Null, c.Cell.GetProperty("execution_count").ValueKind));
        Assert.Contains("#r \"nuget: TorchSharp-cpu, 0.107.0\"", code[0].Source);
        Assert.Contains("#r \"../lib/Dropout/bin/Release/net10.0/Dropout.dll\"", code[0].Source);
        var parameters = Assert.Single(code, c => c.Cell.GetProperty("metadata").TryGetProperty("tags", out var tags)
            && tags.EnumerateArray().Any(t => t.GetString() == "parameters"));
        Assert.Contains("bool quick = false;", parameters.Source);
        Assert.Contains("int numEpochs = 10;", parameters.Source);
        Assert.Contains("double lr = 0.5;", parameters.Source);
        Assert.Contains("int batchSize = 256;", parameters.Source);
    }

    [Fact]
    public void OneSectionPerSourcePairInTheSourcesOrder()
    {
        var calls = Cells().Where(c => c.Type == "code")
            .Select(c => Regex.Match(c.Source, @"^Pair\(([\d.]+), ([\d.]+)\)$"))
            .Where(m => m.Success)
            .Select(m => new DropoutPair(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                                         double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(StudyPlan.SourcePairs, calls);
    }

    [Fact]
    public void TheSourcesClaimsAreDataAndTheConclusionsGetVerdicts()
    {
        var all = string.Join("\n", Cells().Select(c => c.Source));
        foreach (string claim in new[] { "[new(0.2, 0.5)]   = (\"≈ 0.35\"", "[new(0.8, 0.5)]   = (\"above 0.5\"", "[new(0.02, 0.02)] = (\"≈ 0.30\"", "[new(0.6, 0.6)]   = (\"≈ 0.42\"" })
            Assert.Contains(claim, all);
        Assert.Contains("This is the source's assert failing, as in the source", all);
        Assert.Contains("## Beyond the source", all);
        foreach (string verdict in new[] { "conclusion 1 holds", "conclusion 2 on train loss", "conclusion 3 as stated" })
            Assert.Contains(verdict, all);
        var headings = Cells().Where(c => c.Type == "markdown").Select(c => c.Source).ToList();
        int mirror = headings.FindIndex(h => h.StartsWith("### The source's conclusions"));
        int beyond = headings.FindIndex(h => h.StartsWith("## Beyond the source"));
        Assert.True(mirror >= 0 && mirror < beyond, "the source's conclusions come before Beyond the source");
    }
}
