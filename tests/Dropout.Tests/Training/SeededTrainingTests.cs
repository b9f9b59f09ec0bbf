using Dropout.Data;
using Dropout.Experiments.Training;
using Dropout.Layers;
using Dropout.Models;
using Dropout.Native;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Tests.Training;

/// <summary>
/// Runs that own their random numbers: nn.Dropout, the concise net and the minibatch order drawn from a generator of
/// the run's own give exactly what the global generator gives after torch.manual_seed — so runs can train side by side.
/// </summary>
[Collection(SerialCollection.Name)]
public class SeededTrainingTests
{
    public SeededTrainingTests() => TorchNative.Ensure();

    static byte[] Bytes(Tensor t) => t.contiguous().bytes.ToArray();

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.2)]
    [InlineData(0.9)]
    public void DropoutWithAGeneratorGivesNnDropoutsValuesFromTheSameState(double p)
    {
        using var x = rand(37, 201, generator: new Generator(7)) + 0.1;
        random.manual_seed(11);
        using var global = nn.Dropout(p);
        using var expected = global.forward(x);
        using var generator = new Generator(11);
        using var own = new DropoutWithGenerator(p, generator);
        using var actual = own.forward(x);
        Assert.Equal(Bytes(expected), Bytes(actual));
        // and the generator moved on exactly as the global one did: the next masks agree too
        Assert.Equal(Bytes(global.forward(x)), Bytes(own.forward(x)));
    }

    [Fact]
    public void EvalModeAndTheEdgeProbabilitiesBehaveAsNnDropout()
    {
        using var generator = new Generator(1);
        using var x = ones(4, 5);
        using var keep = new DropoutWithGenerator(0, generator);
        Assert.Equal(Bytes(x), Bytes(keep.forward(x)));
        using var all = new DropoutWithGenerator(1, generator);
        Assert.Equal(0, all.forward(x).abs().sum().item<float>());
        using var half = new DropoutWithGenerator(0.5, generator);
        half.eval();
        Assert.Equal(Bytes(x), Bytes(half.forward(x)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DropoutWithGenerator(1.5, generator));
    }

    [Fact]
    public void TheConciseNetFromAGeneratorIsTheNetBuiltAfterManualSeed()
    {
        random.manual_seed(5);
        using var global = ConciseNet.Create(0.2, 0.5);
        using var generator = new Generator(5);
        using var own = ConciseNet.Create(0.2, 0.5, generator: generator);
        var a = global.parameters().ToList();
        var b = own.parameters().ToList();
        Assert.Equal(6, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.Equal(Bytes(a[i]), Bytes(b[i]));
    }

    static TrainingHistory Train(Generator? generator, int seed, (Tensor X, Tensor Y) train, DataIter test)
    {
        if (generator is null) random.manual_seed(seed);
        using var net = ConciseNet.Create(0.2, 0.5, numHiddens1: 32, numHiddens2: 32, generator: generator);
        var trainIter = new DataIter(train.X, train.Y, 64, shuffle: true, generator);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        return D2l.TrainCh3(net, trainIter, test, loss, 2, optim.SGD(net.parameters(), 0.5));
    }

    [Fact]
    public void ARunFromItsOwnGeneratorTrainsExactlyAsAfterManualSeed()
    {
        var train = SyntheticData.Images(512, 1);
        var (tx, ty) = SyntheticData.Images(128, 2);
        var test = new DataIter(tx, ty, 64, shuffle: false);
        var global = Train(null, 3, train, test);
        using var generator = new Generator(3);
        var own = Train(generator, 3, train, test);
        Assert.Equal(global.Select(e => (e.TrainLoss, e.TrainAcc, e.TestAcc)), own.Select(e => (e.TrainLoss, e.TrainAcc, e.TestAcc)));
    }

    [Fact]
    public void TheFastLoopGivesD2lsNumbersForARunThatOwnsItsGenerator()
    {
        var train = SyntheticData.Images(512, 1);
        var (tx, ty) = SyntheticData.Images(128, 2);
        var test = new DataIter(tx, ty, 64, shuffle: false);
        using var g1 = new Generator(9);
        var plain = Train(g1, 9, train, test);
        using var g2 = new Generator(9);
        using var net = ConciseNet.Create(0.2, 0.5, numHiddens1: 32, numHiddens2: 32, generator: g2);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        using var fast = new FastTrainer(net, loss, optim.SGD(net.parameters(), 0.5));
        Assert.Equal(2, fast.DropoutLayers);
        var history = FastTrainer.TrainCh3(net, new DataIter(train.Images, train.Labels, 64, shuffle: true, g2), test, loss, 2, optim.SGD(net.parameters(), 0.5));
        Assert.True(plain.SameNumbersAs(history));
    }

    [Fact]
    public void ParallelRunsLeaveTheThreadCountOfLaterThreadsAsTheCallerHadIt()
    {
        // Workers train on one torch thread each; libtorch also gives that count to threads that first use torch later
        int caller = get_num_threads();
        ParallelRuns.Run([1, 2], i => get_num_threads(), workers: 2, progress: _ => { });
        int later = -1;
        var thread = new Thread(() => later = get_num_threads());
        thread.Start();
        thread.Join();
        Assert.Equal(caller, later);
        Assert.Equal(caller, get_num_threads());
    }

    [Fact]
    public void ParallelRunsGiveTheNumbersEachRunGivesAloneInTheOrderAsked()
    {
        var train = SyntheticData.Images(512, 1);
        var (tx, ty) = SyntheticData.Images(128, 2);
        var test = new DataIter(tx, ty, 64, shuffle: false);
        TrainingHistory Run(int seed)
        {
            using var g = new Generator((ulong)seed);
            return Train(g, seed, train, test);
        }
        int[] seeds = [0, 1, 2, 3, 4];
        var lines = new List<string>();
        var side = ParallelRuns.Run(seeds, Run, workers: 2, progress: lines.Add);
        var alone = ParallelRuns.Run(seeds, Run, workers: 1, progress: _ => { });
        Assert.Equal(alone.Select(h => (h.Final.TrainLoss, h.Final.TestAcc)), side.Select(h => (h.Final.TrainLoss, h.Final.TestAcc)));
        Assert.NotEqual(side[0].Final, side[1].Final);
        Assert.Equal(5, lines.Count);
        Assert.StartsWith("1/5 ", lines[0]);
        Assert.Contains("elapsed", lines[^1]);
    }

    [Fact]
    public void AFailedRunStopsTheRestAndItsErrorIsThrown()
    {
        int started = 0;
        var e = Assert.Throws<InvalidOperationException>(() => ParallelRuns.Run(Enumerable.Range(0, 50).ToList(), i =>
        {
            Interlocked.Increment(ref started);
            if (i == 1) throw new InvalidOperationException("run 1 broke");
            Thread.Sleep(20);
            return i;
        }, workers: 2, progress: _ => { }));
        Assert.Equal("run 1 broke", e.Message);
        Assert.True(started < 50, $"{started} runs started after the failure");
        Assert.Throws<ArgumentOutOfRangeException>(() => ParallelRuns.Run([1], i => i, workers: 0));
    }

    [Fact]
    public void CancellationStopsStartingRuns()
    {
        using var cancel = new CancellationTokenSource();
        int started = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => ParallelRuns.Run(Enumerable.Range(0, 50).ToList(), i =>
        {
            if (Interlocked.Increment(ref started) == 3) cancel.Cancel();
            return i;
        }, workers: 1, progress: _ => { }, cancellationToken: cancel.Token));
        Assert.True(started < 50);
    }
}
