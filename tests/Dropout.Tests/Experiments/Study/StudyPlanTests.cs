using Dropout.Experiments.Study;
using Dropout.Study;

namespace Dropout.Tests.Experiments.Study;

public class StudyPlanTests
{
    [Fact]
    public void DefaultPairsAreTheSourcesElevenInItsOrderThenTheBaseline()
    {
        Assert.Equal(
            ["(0.2, 0.5)", "(0.5, 0.8)", "(0.8, 0.5)", "(0.5, 0.2)", "(0.1, 0.3)", "(0.3, 0.1)", "(0.02, 0.05)", "(0.2, 0.2)", "(0.02, 0.02)", "(0.4, 0.4)", "(0.6, 0.6)", "(0, 0)"],
            StudyPlan.DefaultPairs.Select(p => p.ToString()));
    }

    [Fact]
    public void RunsArePairMajorWithEverySeed()
    {
        var plan = new StudyPlan([new(0.2, 0.5), new(0.8, 0.5), new(0.2, 0.5)], StudyPlan.SeedRange(2));
        Assert.Equal(2, plan.Pairs.Count);
        Assert.Equal(["(0.2, 0.5) seed 0", "(0.2, 0.5) seed 1", "(0.8, 0.5) seed 0", "(0.8, 0.5) seed 1"], plan.Runs.Select(r => r.ToString()));
    }

    [Fact]
    public void GridIsEveryPairFromTheListTimesTheList()
    {
        var grid = StudyPlan.Grid(StudyPlan.ParseProbabilities("0, 0.5,0.9"));
        Assert.Equal(9, grid.Count);
        Assert.Equal(new DropoutPair(0, 0), grid[0]);
        Assert.Equal(new DropoutPair(0, 0.5), grid[1]);
        Assert.Equal(new DropoutPair(0.9, 0.9), grid[^1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(36)]
    [InlineData(50)]
    public void ShardsAreDisjointAndCoverThePlan(int n)
    {
        var plan = new StudyPlan(StudyPlan.DefaultPairs, StudyPlan.SeedRange(3));
        var shards = Enumerable.Range(1, n).Select(k => plan.Shard(k, n)).ToList();
        var all = shards.SelectMany(s => s).ToList();
        Assert.Equal(plan.Runs.Count, all.Count);
        Assert.Equal(plan.Runs.ToHashSet(), all.ToHashSet());
        Assert.True(shards.Max(s => s.Count) - shards.Min(s => s.Count) <= 1, "shards are balanced");
    }

    [Fact]
    public void ShardTextIsCheckedWithAClearMessage()
    {
        Assert.Equal((2, 8), StudyPlan.ParseShard("2/8"));
        foreach (string bad in new[] { "0/2", "3/2", "2", "a/b", "1/0", "-1/2" })
            Assert.Contains("write K/N", Assert.Throws<FormatException>(() => StudyPlan.ParseShard(bad)).Message);
        var plan = new StudyPlan(StudyPlan.DefaultPairs, [0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.Shard(3, 2));
    }

    [Fact]
    public void PairsParseAndBadOnesAreNamed()
    {
        Assert.Equal([new DropoutPair(0.2, 0.5), new DropoutPair(0.8, 0.5)], DropoutPair.ParseList("0.2:0.5, 0.8:0.5"));
        Assert.Contains("write p1:p2", Assert.Throws<FormatException>(() => DropoutPair.ParseList("0.2-0.5")).Message);
        Assert.Contains("between 0 and 1", Assert.Throws<FormatException>(() => DropoutPair.ParseList("0.2:1.5")).Message);
        Assert.Contains("p1 of '0,2:0.5': '0,2' is not a number", Assert.Throws<FormatException>(() => DropoutPair.Parse("0,2:0.5")).Message);
    }

    [Fact]
    public void DisplayOrderPutsTheSourcesPairsFirstThenTheBaselineThenOthers()
    {
        DropoutPair[] pairs = [new(0.9, 0.1), new(0, 0), new(0.6, 0.6), new(0.2, 0.5), new(0.1, 0.9)];
        Assert.Equal(["(0.2, 0.5)", "(0.6, 0.6)", "(0, 0)", "(0.1, 0.9)", "(0.9, 0.1)"],
            StudyPlan.InDisplayOrder(pairs, p => p).Select(p => p.ToString()));
    }

    [Fact]
    public void AbsurdPlansAreRefusedBeforeTheirRunsAreListed()
    {
        Assert.Contains("between 1 and 10,000", Assert.Throws<ArgumentOutOfRangeException>(() => StudyPlan.SeedRange(100_000_000)).Message);
        Assert.Equal(StudyPlan.MaxSeeds, StudyPlan.SeedRange(StudyPlan.MaxSeeds).Count);
        var grid = Enumerable.Range(0, 101).Select(i => i / 100.0).ToList();
        Assert.Contains("makes 10,201 pairs", Assert.Throws<ArgumentException>(() => StudyPlan.Grid(grid)).Message);
        Assert.Equal(10_000, StudyPlan.Grid(grid.Take(100)).Count);
        var e = Assert.Throws<ArgumentException>(() => new StudyPlan(StudyPlan.Grid(grid.Take(100)), StudyPlan.SeedRange(11)));
        Assert.Contains("10,000 pairs × 11 seeds = 110,000 runs; a study takes at most 100,000", e.Message);
        Assert.Equal(100_000, new StudyPlan(StudyPlan.Grid(grid.Take(100)), StudyPlan.SeedRange(10)).Runs.Count);
    }

    [Fact]
    public void PairAndSeedNumbersAreOneBasedPositionsInThePlan()
    {
        var plan = new StudyPlan([new(0.2, 0.5), new(0.8, 0.5)], [3, 7]);
        Assert.Equal((1, 2, 2, 0), (plan.PairNumber(new(0.2, 0.5)), plan.PairNumber(new(0.8, 0.5)), plan.SeedNumber(7), plan.SeedNumber(4)));
    }
}
