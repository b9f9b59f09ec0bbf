using System.Reflection;
using System.Runtime.InteropServices;

namespace Dropout.Native;

/// <summary>
/// Makes TorchSharp's native backend load on Debian 12, automatically.
/// <para>
/// TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> asks for <c>GLIBCXX_3.4.32</c> (GCC 13's libstdc++),
/// which Debian 12 (GCC 12, up to 3.4.30) lacks, so the load fails with "doesn't contain a reference to
/// libtorch-cpu-linux-x64". The only symbol at that version is a link-time marker that no relocation
/// uses, so marking that one requirement WEAK lets glibc load the library and TorchSharp works normally.
/// </para>
/// <para>
/// <see cref="Ensure"/> does that to the copy of the library TorchSharp is about to load (the build
/// output, or the NuGet cache when a notebook loads TorchSharp by <c>#r "nuget: ..."</c>), only when the
/// process's libstdc++ lacks the version, atomically (temp file + rename) and idempotently. It never
/// touches a system file. Nothing runs when the library loads: notebooks call it in their set-up cell, the command
/// line before it trains.
/// </para>
/// <para>
/// A second hazard: a system libtorch on the library search path (Debian's <c>libtorch-dev</c>, which
/// <c>python3-torch</c> brings, puts libtorch 1.13's <c>libtorch_cpu.so</c> there). Where TorchSharp loads
/// <c>torch_cpu</c> by name from the NuGet cache (notebooks), it gets that one and then fails to load
/// <c>libLibTorchSharp.so</c> or crashes the process. When such a library is visible, <see cref="Ensure"/> loads
/// TorchSharp's own libtorch first, by full path, so that every later load by name finds it already loaded.
/// Kernels started outside this process are covered by the runner's <c>TorchSharpPackages.Prepare</c> (<c>kernel-prepare</c>).
/// </para>
/// </summary>
public static class TorchNative
{
    /// <summary>The libstdc++ version TorchSharp 0.107.0 asks for and Debian 12 lacks.</summary>
    public const string MissingVersion = "GLIBCXX_3.4.32";

    const string LibraryFileName = "libLibTorchSharp.so";
    static readonly object Gate = new();
    static string? _status;

    /// <summary>
    /// Applies the fix where it is needed and says what it did (for a notebook to display).
    /// Safe to call any number of times, from any thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">The library file needs the fix but cannot be written.</exception>
    public static string Ensure()
    {
        lock (Gate)
        {
            if (_status is not null) return _status;
            TorchWaitPolicy.Configure();
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
                return _status = "TorchSharp native fix: not needed on this platform.";
            string? libstdcxx = LoadedLibStdCxx();
            if (libstdcxx is null)
                return _status = "TorchSharp native fix: no libstdc++ found; nothing done.";
            if (ElfSymbolVersions.DefinedVersions(File.ReadAllBytes(libstdcxx)).Contains(MissingVersion))
                return _status = $"TorchSharp native fix: not needed ({libstdcxx} has {MissingVersion})." + PreloadOwnLibTorch();

            var patched = new List<string>();
            foreach (string candidate in CandidateLibraries())
                if (PatchFile(candidate)) patched.Add(candidate);
            string preloaded = PreloadOwnLibTorch();
            return _status = (patched.Count == 0
                ? $"TorchSharp native fix: {libstdcxx} lacks {MissingVersion}; {LibraryFileName} already marks it weak."
                : $"TorchSharp native fix: marked {MissingVersion} weak in {string.Join(", ", patched)}.") + preloaded;
        }
    }

    /// <summary>
    /// Marks <see cref="MissingVersion"/> weak in the library at <paramref name="path"/>, replacing the file
    /// atomically. Returns false (and writes nothing) when the file needs no change.
    /// </summary>
    public static bool PatchFile(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (ElfSymbolVersions.MarkWeak(bytes, MissingVersion) == 0) return false;
        try
        {
            // Whole or not at all: a temporary file beside it, renamed over it (a link is replaced, not followed).
            string temp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temp, bytes);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InvalidOperationException(
                $"TorchSharp cannot load here because this system's libstdc++ lacks {MissingVersion}, and {path} " +
                $"could not be rewritten to tolerate that ({e.Message}). Make the file writable, or run the project " +
                "from a build output folder you own (dotnet build).", e);
        }
        return true;
    }

    /// <summary>
    /// When another <c>libtorch_cpu.so</c> is on the library search path, loads the libtorch that TorchSharp will
    /// use by full path, dependencies first (<c>libc10.so</c>, <c>libtorch_cpu.so</c>, then <c>libtorch.so</c>): a library
    /// loaded by full path still looks for its own dependencies on <c>LD_LIBRARY_PATH</c> before its <c>$ORIGIN</c>, so
    /// each must already be loaded when the next asks for it by name. Returns what it did, for the status line.
    /// </summary>
    static string PreloadOwnLibTorch()
    {
        string? foreign = SystemLibraryDirectories().Select(d => Path.Combine(d, "libtorch_cpu.so")).FirstOrDefault(File.Exists);
        if (foreign is null) return "";
        string? own = OwnLibTorchDirectories().FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch.so")));
        if (own is null) return $" {foreign} is on the library path and TorchSharp's own libtorch was not found; TorchSharp may load the wrong one.";
        foreach (string library in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            NativeLibrary.Load(Path.Combine(own, library));
        return $" Loaded TorchSharp's libtorch from {own} first ({foreign} is on the library path too).";
    }

    /// <summary>Where the dynamic loader finds libraries by name: LD_LIBRARY_PATH, ld.so.conf's folders, the default ones.</summary>
    internal static IEnumerable<string> SystemLibraryDirectories()
    {
        var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        try
        {
            var conf = new List<string> { "/etc/ld.so.conf" };
            if (Directory.Exists("/etc/ld.so.conf.d")) conf.AddRange(Directory.GetFiles("/etc/ld.so.conf.d", "*.conf"));
            foreach (string line in conf.Where(File.Exists).SelectMany(File.ReadLines))
                if (line.Trim() is { Length: > 0 } entry && entry.StartsWith('/')) dirs.Add(entry);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        dirs.AddRange(["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib"]);
        return dirs.Distinct();
    }

    /// <summary>Where TorchSharp takes its libtorch from: beside the app, its consolidated copy, or the NuGet package.</summary>
    static IEnumerable<string> OwnLibTorchDirectories()
    {
        string? torchSharpDir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (string.IsNullOrEmpty(torchSharpDir)) yield break;
        yield return Path.Combine(torchSharpDir, "runtimes", "linux-x64", "native");
        yield return torchSharpDir;
        yield return Path.Combine(torchSharpDir, "cpu");
        // NuGet package layout: packages/torchsharp/VERSION/lib/TFM/TorchSharp.dll, libtorch beside it.
        yield return LibTorchNativeDirectory(Path.GetFullPath(Path.Combine(torchSharpDir, "..", "..", "..", "..")));
    }

    /// <summary>The libtorch version that TorchSharp loads (its <c>libtorch-cpu-linux-x64</c> package), read without loading libtorch.</summary>
    public static string LibTorchVersion
    {
        get
        {
            var constant = typeof(TorchSharp.torch).GetField("libtorchPackageVersion", BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new InvalidOperationException("this TorchSharp does not declare libtorchPackageVersion; update TorchSharpPackages for it.");
            string version = (string)constant.GetRawConstantValue()!;
            // NuGet folder names drop a fourth part that is zero ("2.10.0.0" → "2.10.0").
            var parts = version.Split('.');
            return parts.Length == 4 && parts[3] == "0" ? string.Join('.', parts[..3]) : version;
        }
    }

    /// <summary>libtorch's native folder inside the NuGet cache <paramref name="cacheDirectory"/>.</summary>
    public static string LibTorchNativeDirectory(string cacheDirectory) =>
        Path.Combine(cacheDirectory, "libtorch-cpu-linux-x64", LibTorchVersion, "runtimes", "linux-x64", "native");

    /// <summary>True when the process's libstdc++ lacks <see cref="MissingVersion"/> (Debian 12), so the fix is needed.</summary>
    public static bool IsNeeded() =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
        && LoadedLibStdCxx() is { } libstdcxx && !ElfSymbolVersions.DefinedVersions(File.ReadAllBytes(libstdcxx)).Contains(MissingVersion);

    /// <summary>The libstdc++ this process uses (from /proc/self/maps), or the system default.</summary>
    static string? LoadedLibStdCxx()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash >= 0 && Path.GetFileName(line[slash..]).StartsWith("libstdc++.so", StringComparison.Ordinal))
                    return line[slash..];
            }
        }
        catch (IOException) { }
        return new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Every place TorchSharp may load <c>libLibTorchSharp.so</c> from.</summary>
    static IEnumerable<string> CandidateLibraries()
    {
        var dirs = new List<string>();
        string? torchSharpDir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchSharpDir))
        {
            dirs.Add(torchSharpDir);
            dirs.Add(Path.Combine(torchSharpDir, "runtimes", "linux-x64", "native"));
            // Where TorchSharp copies the natives of its NuGet packages when it runs from the NuGet cache (notebooks).
            dirs.Add(Path.Combine(torchSharpDir, "cpu"));
            // NuGet package layout: lib/<tfm>/TorchSharp.dll beside runtimes/linux-x64/native/.
            dirs.Add(Path.Combine(torchSharpDir, "..", "..", "runtimes", "linux-x64", "native"));
        }
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirs)
            dirs.AddRange(searchDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return dirs
            .Select(d => Path.GetFullPath(Path.Combine(d, LibraryFileName)))
            .Distinct()
            .Where(File.Exists);
    }
}
