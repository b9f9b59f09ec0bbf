using Dropout.Cli.Bench;
using Dropout.Experiments.Benchmarks;
using Dropout.Experiments.Training;
using Dropout.Layers;
using Dropout.Native;

namespace Dropout.Tests.Experiments.Benchmarks;

// Serial: the dropout cost draws from torch's global generator, and the exact dropout's probe must see no other draws.
[Collection(SerialCollection.Name)]
public class BenchMeasurementTests
{
    public BenchMeasurementTests() => TorchNative.Ensure();

    [Fact]
    public void CeilingIsAPositiveRate()
    {
        double gflops = MatmulCeiling.MeasureGflops(new MlpTrainingFlops(64, 32, 10), batchSize: 16, steps: 3);
        Assert.True(double.IsFinite(gflops) && gflops > 0, $"{gflops}");
    }

    [Fact]
    public void TheCeilingHasALimitAndStopsWhenCancelled()
    {
        var net = new MlpTrainingFlops(64, 32, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => MatmulCeiling.MeasureGflops(net, batchSize: 16, steps: MatmulCeiling.MaxSteps + 1));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => MatmulCeiling.MeasureGflops(net, batchSize: 16, steps: MatmulCeiling.MaxSteps, cancelled.Token));
    }

    [Fact]
    public void DropoutCostTimesEachMethod()
    {
        var costs = DropoutCost.Measure(rows: 8, columns: 8, calls: 3, repeats: 1);
        // The fast loop's exact dropout is timed where it matches libtorch on this CPU.
        var exact = ExactDropout.Create(0.5);
        Assert.Equal(exact is null ? 2 : 3, costs.Count);
        Assert.Contains(costs, c => c.Method.StartsWith("functional.dropout", StringComparison.Ordinal));
        Assert.All(costs, c => Assert.True(c.MicrosecondsPerCall > 0));
    }

    [Fact]
    public void PytorchReferenceScriptShipsWithTheProgramAndCompiles()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Bench", "pytorch_reference.py");
        Assert.True(File.Exists(script), $"{script} is not in the build output");
        Assert.Equal(PytorchPeer.ScriptPath, script);
        Assert.Contains("torch.set_num_threads(args.threads)", File.ReadAllText(script));
        if (!File.Exists(PytorchSetup.Python)) return;
        using var python = System.Diagnostics.Process.Start(PytorchSetup.Python, ["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", script])!;
        python.WaitForExit();
        Assert.Equal(0, python.ExitCode);
    }
}
