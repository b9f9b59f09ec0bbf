using Dropout.Experiments.Benchmarks;
using Dropout.Experiments.Platform;

namespace Dropout.Tests.Experiments.Benchmarks;

public class ProcessMemoryTests
{
    const string Status = """
        Name:	dotnet
        VmPeak:	 53186412 kB
        VmSize:	 53160316 kB
        VmHWM:	   612345 kB
        VmRSS:	   524288 kB
        RssAnon:	  400000 kB
        Threads:	31
        """;

    [Fact]
    public void ReadsVmRssAndVmHwmInKibibytes()
    {
        var memory = ProcessMemory.Parse(Status);
        Assert.Equal(524288L * 1024, memory.RssBytes);
        Assert.Equal(612345L * 1024, memory.PeakRssBytes);
        Assert.Equal(512.0, memory.RssMiB);
    }

    [Fact]
    public void MissingOrMalformedFieldsAreNamed()
    {
        Assert.Contains("VmHWM", Assert.Throws<FormatException>(() => ProcessMemory.Parse("VmRSS:\t 10 kB\n")).Message);
        Assert.Contains("VmRSS", Assert.Throws<FormatException>(() => ProcessMemory.Parse("VmHWM:\t 10 kB\n")).Message);
        Assert.Contains("VmRSS:\t ten kB", Assert.Throws<FormatException>(() => ProcessMemory.Parse("VmRSS:\t ten kB\nVmHWM:\t 10 kB")).Message);
    }

    [Fact]
    public void CurrentProcessHasResidentMemoryBelowItsPeak()
    {
        var memory = ProcessMemory.Current();
        Assert.True(memory.RssBytes > 1 << 20, $"RSS {memory.RssBytes}");
        Assert.True(memory.PeakRssBytes >= memory.RssBytes);
    }
}
