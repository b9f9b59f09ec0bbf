using System.Globalization;

namespace Dropout.Experiments.Benchmarks;

/// <summary>Resident memory of a process, from Linux's <c>/proc/&lt;pid&gt;/status</c>.</summary>
/// <param name="RssBytes">Resident set size now (<c>VmRSS</c>): native and managed memory together.</param>
/// <param name="PeakRssBytes">The highest resident set size so far (<c>VmHWM</c>, the "high water mark").</param>
public sealed record ProcessMemory(long RssBytes, long PeakRssBytes)
{
    /// <summary><see cref="RssBytes"/> in MiB.</summary>
    public double RssMiB => RssBytes / (1024.0 * 1024.0);

    /// <summary><see cref="PeakRssBytes"/> in MiB.</summary>
    public double PeakRssMiB => PeakRssBytes / (1024.0 * 1024.0);

    /// <summary>This process's memory now.</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux (no <c>/proc/self/status</c>).</exception>
    public static ProcessMemory Current()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) throw new PlatformNotSupportedException($"resident memory is read from {path}, which only Linux has.");
        return Parse(File.ReadAllText(path));
    }

    /// <summary>Reads <c>VmRSS</c> and <c>VmHWM</c> (in kB, meaning KiB) from a <c>/proc/&lt;pid&gt;/status</c> text.</summary>
    /// <exception cref="FormatException">A field is missing or not a number in kB.</exception>
    public static ProcessMemory Parse(string statusText)
    {
        long? rss = null, peak = null;
        foreach (string line in statusText.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = KiloBytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = KiloBytes(line);
        }
        if (rss is null || peak is null)
            throw new FormatException($"/proc status text lacks {(rss is null ? "VmRSS" : "VmHWM")}; is this a Linux process status file?");
        return new ProcessMemory(rss.Value, peak.Value);
    }

    static long KiloBytes(string line)
    {
        var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[2] != "kB" || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
            throw new FormatException($"cannot read a size in kB from \"{line.Trim()}\".");
        return kb * 1024;
    }
}
