using Dropout.Native;
using static TorchSharp.torch;

namespace Dropout.Tests.Native;

public class TorchNativeTests
{
    [Fact]
    public void NativeBackendLoadsAndComputes()
    {
        TorchNative.Ensure();
        using var x = ones(3, 4);
        Assert.Equal(12f, x.sum().item<float>());
    }

    [Fact]
    public void PatchMarksOnlyTheMissingVersionWeakAndIsIdempotent()
    {
        string original = FindShippedLibTorchSharp();
        string copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        try
        {
            // Start from the version TorchSharp ships: clear the flag the build output may already carry.
            byte[] pristine = File.ReadAllBytes(original);
            foreach (var v in ElfSymbolVersions.NeededVersions(pristine).Where(v => v.Version == TorchNative.MissingVersion))
                pristine[v.FlagsOffset] &= unchecked((byte)~ElfSymbolVersions.WeakFlag);
            File.WriteAllBytes(copy, pristine);
            Assert.Contains(ElfSymbolVersions.NeededVersions(pristine), v => v.Version == TorchNative.MissingVersion && !v.IsWeak);

            Assert.True(TorchNative.PatchFile(copy));
            byte[] patched = File.ReadAllBytes(copy);
            Assert.Equal(pristine.Length, patched.Length);
            var needed = ElfSymbolVersions.NeededVersions(patched);
            var target = Assert.Single(needed, v => v.Version == TorchNative.MissingVersion);
            Assert.True(target.IsWeak);
            Assert.Equal("libstdc++.so.6", target.File);
            // Exactly one byte differs: the flag.
            var diffs = Enumerable.Range(0, pristine.Length).Where(i => pristine[i] != patched[i]).ToList();
            Assert.Equal([(int)target.FlagsOffset], diffs);
            // Every other needed version keeps its flags.
            Assert.All(needed.Where(v => v.Version != TorchNative.MissingVersion), v => Assert.False(v.IsWeak));

            Assert.False(TorchNative.PatchFile(copy));
            Assert.Equal(patched, File.ReadAllBytes(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void LibStdCxxVersionsAreRead()
    {
        string libstdcxx = new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6" }.First(File.Exists);
        var defined = ElfSymbolVersions.DefinedVersions(File.ReadAllBytes(libstdcxx));
        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
    }

    [Fact]
    public void NonElfInputIsRejectedClearly()
    {
        var e = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.NeededVersions(new byte[100]));
        Assert.Contains("not an ELF file", e.Message);
        byte[] truncated = File.ReadAllBytes(FindShippedLibTorchSharp())[..4096];
        Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.NeededVersions(truncated));
    }

    static string FindShippedLibTorchSharp()
    {
        string dir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location)!;
        return new[] { Path.Combine(dir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"), Path.Combine(dir, "libLibTorchSharp.so") }
            .First(File.Exists);
    }
}
