using Dropout.Notebooks.Runner.Documents;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Notebooks.Runner.Kernel;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using static Dropout.Tests.Runner.ExecutedNotebook;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>
/// The runner's cost is linear in what a cell prints: a cell printing many short lines costs what one printing the same
/// text at once does, up to a constant. Told by the memory the recorder allocates (a count, the same on any machine),
/// not by a clock.
/// </summary>
[Collection(KernelCollection.Name)]
public class OutputVolumeTests
{
    /// <summary>Bytes allocated while a cell's recorder takes <paramref name="lines"/> console writes of one short line each.</summary>
    static long BytesAllocatedRecording(int lines)
    {
        using var kernel = new CompositeKernel();
        using var recorder = new CellOutputRecorder(kernel, 1);
        recorder.Begin(0);
        var command = new SubmitCode("");
        var events = Enumerable.Range(0, lines)
            .Select(i => new StandardOutputValueProduced(command, [new FormattedValue("text/plain", $"line {i,6}\n")])).ToList();
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var e in events) recorder.Record(e);
        var outputs = recorder.Outputs(0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(lines * 12, ((StreamOutput)Assert.Single(outputs)).Text.Length);
        return allocated;
    }

    [Fact]
    public void ConsecutiveWritesToOneStreamAreOneOutputAndEachStreamKeepsItsText()
    {
        using var kernel = new CompositeKernel();
        using var recorder = new CellOutputRecorder(kernel, 1);
        recorder.Begin(0);
        var command = new SubmitCode("");
        KernelEvent Out(string text) => new StandardOutputValueProduced(command, [new FormattedValue("text/plain", text)]);
        KernelEvent Err(string text) => new StandardErrorValueProduced(command, [new FormattedValue("text/plain", text)]);
        foreach (var e in new[] { Out("a"), Out("b\n"), Err("oops\n"), Out("c\n") }) recorder.Record(e);
        recorder.Add(new ErrorOutput("Error", "boom", ["boom"]));
        var outputs = recorder.Outputs(0);
        Assert.Equal([new StreamOutput("stdout", "ab\n"), new StreamOutput("stderr", "oops\n"), new StreamOutput("stdout", "c\n")], outputs.Take(3));
        Assert.IsType<ErrorOutput>(outputs[3]);
    }

    [Fact]
    public void RecordingTenTimesTheLinesAllocatesAboutTenTimesTheMemory()
    {
        BytesAllocatedRecording(1_000); // warm-up
        long small = BytesAllocatedRecording(20_000), large = BytesAllocatedRecording(200_000);
        // Linear: about 10× (the text, and a builder that doubles). Quadratic, as when each line copied the whole stream so far: about 100×.
        Assert.True(large < 20 * small, $"20,000 lines allocated {small:N0} bytes, 200,000 lines {large:N0} ({(double)large / small:0.0}×)");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task ACellPrinting200000LinesRunsAndKeepsThemAll()
    {
        string notebook = WriteNotebook(TempDirectory(), "chatty.ipynb",
            "for (int i = 0; i < 200_000; i++) Console.WriteLine($\"line {i}\");", "Console.WriteLine(\"after\");");
        var result = await RunOne(notebook).WaitAsync(TimeSpan.FromMinutes(10));
        Assert.True(result.Status == NotebookStatus.Succeeded, result.Failure);
        var executed = ExecutedNotebook.Load(result.ExecutedNotebook!);
        var lines = Stream(executed.At(1)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200_000, lines.Length);
        Assert.Equal("line 199999", lines[^1]);
        Assert.Equal("after\n", Stream(executed.At(2)));
    }
}
