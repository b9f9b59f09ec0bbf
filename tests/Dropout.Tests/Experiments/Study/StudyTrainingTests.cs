using Dropout.Data;
using Dropout.Experiments.Study;
using Dropout.Models;
using Dropout.Study;
using Dropout.Training;
using static TorchSharp.torch;

namespace Dropout.Tests.Experiments.Study;

public class StudyTrainingTests
{
    static readonly StudySettings Settings = new("concise", 32, 2, 0.5, 64, null, null);

    static TrainingHistory Train(SeededRun run, StudySettings? settings = null)
    {
        var (xTrain, yTrain) = SyntheticData.Images(400, 1);
        var (xTest, yTest) = SyntheticData.Images(100, 2);
        var data = new FashionMnistData(new FashionMnistSplit(xTrain, yTrain), new FashionMnistSplit(xTest, yTest), "synthetic");
        return new TrainingHistory(StudyTraining.ForData(settings ?? Settings, data)(run, _ => { }, default));
    }

    static IEnumerable<(double, double, double)> Numbers(TrainingHistory h) => h.Select(e => (e.TrainLoss, e.TrainAcc, e.TestAcc));

    [Theory]
    [InlineData("concise")]
    [InlineData("scratch")]
    public void TheSamePairAndSeedGiveTheSameNumbers(string model)
    {
        var run = new SeededRun(new(0.3, 0.5), 7);
        var settings = Settings with { Model = model };
        Assert.Equal(Numbers(Train(run, settings)), Numbers(Train(run, settings)));
    }

    [Fact]
    public void AnotherSeedGivesOtherNumbers()
    {
        var pair = new DropoutPair(0.3, 0.5);
        Assert.NotEqual(Numbers(Train(new(pair, 1))), Numbers(Train(new(pair, 2))));
    }

    [Fact]
    public void AStudyRunIsTheLessonsSeededRunOfD2lsLoop()
    {
        // The study's fast loop and generator-owned net give what d2l's loop gives from the same seed (notebook 04's runs)
        var run = new SeededRun(new(0.3, 0.5), 4);
        var (xTrain, yTrain) = SyntheticData.Images(400, 1);
        var (xTest, yTest) = SyntheticData.Images(100, 2);
        var lesson = SeededTraining.Train(run.Seed, g => ConciseNet.Create(0.3, 0.5, numHiddens1: 32, numHiddens2: 32, generator: g),
            new DataIter(xTrain, yTrain, 64, shuffle: true, generator: null), new DataIter(xTest, yTest, 64, shuffle: false), Settings.Training);
        Assert.Equal(Numbers(lesson), Numbers(Train(run)));
    }

    [Fact]
    public void TheNetFollowsTheSettings()
    {
        using var g = new Generator(1);
        using var concise = StudyTraining.CreateNet(Settings with { Hidden = 8 }, new(0.1, 0.2), g);
        Assert.Equal(784L * 8 + 8 + 8 * 8 + 8 + 8 * 10 + 10, concise.parameters().Sum(p => p.numel()));
        using var scratch = StudyTraining.CreateNet(Settings with { Model = "scratch" }, new(0.1, 0.2), g);
        var net = Assert.IsType<ScratchNet>(scratch);
        Assert.Equal((0.1, 0.2), (net.Dropout1, net.Dropout2));
    }
}
