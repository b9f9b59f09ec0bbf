using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Dropout.Native;

namespace Dropout.Notebooks.Runner.Jupyter;

/// <summary>
/// TorchSharp as a kernel gets it: from the NuGet cache, through <c>#r "nuget: TorchSharp-cpu, ..."</c>. The kernel
/// launchers run <see cref="Prepare"/> (CLI <c>kernel-prepare</c>) first, so that TorchSharp loads on Debian 12 even in a
/// notebook that never touches this library, with an empty NuGet cache, and with a system libtorch installed.
/// </summary>
public static class TorchSharpPackages
{
    /// <summary>The TorchSharp version this library is built against (the one the notebooks pin).</summary>
    public static string TorchSharpVersion =>
        typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? throw new InvalidOperationException("TorchSharp.dll does not say its version.");

    /// <summary>The NuGet global packages folder: <c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</summary>
    public static string DefaultCacheDirectory =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? Path.GetFullPath(custom)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// Makes TorchSharp <see cref="TorchSharpVersion"/> loadable from the NuGet cache: restores <c>TorchSharp-cpu</c> when
    /// missing (<c>dotnet restore</c> of a throwaway project, as <c>#r "nuget: ..."</c> would), then, where this system's
    /// libstdc++ needs it, marks the GLIBCXX version weak in the cache's <c>libLibTorchSharp.so</c> and in the copy
    /// TorchSharp consolidates beside its assembly. Returns libtorch's native folder, to put first on
    /// <c>LD_LIBRARY_PATH</c> so that a system libtorch is not loaded instead. Idempotent.
    /// </summary>
    /// <exception cref="InvalidOperationException">The restore failed; the message has dotnet's output.</exception>
    public static string Prepare(string? cacheDirectory = null, Action<string>? log = null)
    {
        string cache = cacheDirectory ?? DefaultCacheDirectory;
        string torchSharp = Path.Combine(cache, "torchsharp", TorchSharpVersion);
        string native = TorchNative.LibTorchNativeDirectory(cache);
        if (!Directory.Exists(torchSharp) || !File.Exists(Path.Combine(native, "libtorch_cpu.so")))
        {
            log?.Invoke($"restoring TorchSharp-cpu {TorchSharpVersion} into {cache} (once) ...");
            Restore(cache);
        }
        if (TorchNative.IsNeeded())
        {
            foreach (string library in new[]
                     {
                         Path.Combine(torchSharp, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
                     }.Concat(Directory.Exists(Path.Combine(torchSharp, "lib"))
                         ? Directory.GetDirectories(Path.Combine(torchSharp, "lib")).Select(tfm => Path.Combine(tfm, "cpu", "libLibTorchSharp.so"))
                         : []).Where(File.Exists))
                if (TorchNative.PatchFile(library)) log?.Invoke($"marked {TorchNative.MissingVersion} weak in {library}");
        }
        return native;
    }

    static void Restore(string cache)
    {
        string project = Directory.CreateTempSubdirectory("dropout-torchsharp-restore-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(project, "restore.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
                  <ItemGroup><PackageReference Include="TorchSharp-cpu" Version="{TorchSharpVersion}" /></ItemGroup>
                </Project>
                """);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = project };
            foreach (string a in new[] { "restore", "--nologo", "-v", "quiet" }) start.ArgumentList.Add(a);
            start.Environment["NUGET_PACKAGES"] = cache;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet to restore TorchSharp-cpu.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"restoring TorchSharp-cpu {TorchSharpVersion} into {cache} failed (dotnet restore exit code {process.ExitCode}):\n{stdout.Result}{stderr}");
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
