using Dropout.Study;
using static TorchSharp.torch;

using Dropout.Tests;
using Dropout.Models;
using Dropout.Platform;
using Dropout.Training;

namespace Dropout.Tests.Study;

[Collection(SerialCollection.Name)] // seeds torch's global generator: parallel tests would draw from it too
public class StudyTrainingTests
{
    public StudyTrainingTests() => TorchNative.Ensure();

    static readonly StudySettings Settings = new("concise", 32, 2, 0.5, 64, null, null);

    static TrainingHistory Train(StudyRun run, StudySettings? settings = null)
    {
        var (xTrain, yTrain) = SyntheticData.Images(400, 1);
        var (xTest, yTest) = SyntheticData.Images(100, 2);
        return StudyTraining.TrainRun(settings ?? Settings, run, xTrain, yTrain, xTest, yTest);
    }

    static IEnumerable<(double, double, double)> Numbers(TrainingHistory h) => h.Select(e => (e.TrainLoss, e.TrainAcc, e.TestAcc));

    [Theory]
    [InlineData("concise")]
    [InlineData("scratch")]
    public void TheSamePairAndSeedGiveTheSameNumbers(string model)
    {
        var run = new StudyRun(new(0.3, 0.5), 7);
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
    public void TheNetFollowsTheSettings()
    {
        using var concise = StudyTraining.CreateNet(Settings with { Hidden = 8 }, new(0.1, 0.2));
        Assert.Equal(784L * 8 + 8 + 8 * 8 + 8 + 8 * 10 + 10, concise.parameters().Sum(p => p.numel()));
        using var scratch = StudyTraining.CreateNet(Settings with { Model = "scratch" }, new(0.1, 0.2));
        var net = Assert.IsType<ScratchNet>(scratch);
        Assert.Equal((0.1, 0.2), (net.Dropout1, net.Dropout2));
    }
}
