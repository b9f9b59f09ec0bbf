using Dropout.Experiments.Study;
using Dropout.Study;

namespace Dropout.Tests.Experiments.Study;

public class StudyEtaTests
{
    [Fact]
    public void OneWorkerIsTheMeanEpochTimeTimesTheEpochsLeft() =>
        // 2 epochs left in the current run, 3 runs of 10 queued, 1.5 s per epoch.
        Assert.Equal(1.5 * (2 + 30), StudyEta.Estimate(1.5, [2], 3, 10, 1).TotalSeconds, 9);

    [Fact]
    public void WorkersShareTheQueueAndTheLastToFinishSetsTheTime()
    {
        // Two workers, 3 and 7 epochs left, 3 runs of 10 queued: the first takes runs at 3 and 13, the second at 7 → ends 23 and 17.
        Assert.Equal(23, StudyEta.Estimate(1, [3, 7], 3, 10, 2).TotalSeconds, 9);
        // The tail: one run left on one of two workers leaves the other idle, it does not halve the time.
        Assert.Equal(10, StudyEta.Estimate(1, [], 1, 10, 2).TotalSeconds, 9);
        // Four runs of 10 on two idle workers: two rounds.
        Assert.Equal(20, StudyEta.Estimate(1, [], 4, 10, 2).TotalSeconds, 9);
        Assert.Equal(TimeSpan.Zero, StudyEta.Estimate(2, [0, 0], 0, 10, 2));
    }
}
