using System.Diagnostics;
using System.Reflection;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Dropout.Notebooks.Runner.Kernel;

/// <summary>
/// The magic commands the released tool adds from assemblies not published as packages, rewritten with the same output:
/// <c>#!time</c>, <c>#!about</c> and <c>#!lsmagic</c>.
/// </summary>
static class KernelDirectives
{
    public static void Add(CompositeKernel kernel)
    {
        kernel.AddDirective(new KernelActionDirective("#!time") { Description = "Time the execution of the code that follows (wall time)." }, (_, context) =>
        {
            var clock = Stopwatch.StartNew();
            context.OnComplete(c => c.Publish(new DisplayedValueProduced(clock.Elapsed, c.Command,
                [new FormattedValue(PlainTextFormatter.MimeType, $"Wall time: {clock.Elapsed.TotalMilliseconds}ms")])));
            return Task.CompletedTask;
        });

        kernel.AddDirective(new KernelActionDirective("#!about") { Description = "Show version and build information for this kernel." }, (_, context) =>
        {
            KernelInvocationContextExtensions.Display(context, About(), PlainTextFormatter.MimeType);
            return Task.CompletedTask;
        });

        kernel.AddDirective(new KernelActionDirective("#!lsmagic") { Description = "List the available magic commands." }, (_, context) =>
        {
            var lines = new List<string>();
            foreach (var k in new[] { (Microsoft.DotNet.Interactive.Kernel)kernel }.Concat(kernel.ChildKernels))
            {
                lines.Add($"{k.Name} kernel");
                lines.AddRange(k.KernelInfo.SupportedDirectives.OrderBy(d => d.Name, StringComparer.Ordinal)
                    .Select(d => $"    {d.Name}{(d is KernelActionDirective { Description: { Length: > 0 } description } ? "  " + description : "")}"));
            }
            KernelInvocationContextExtensions.Display(context, string.Join("\n", lines), PlainTextFormatter.MimeType);
            return Task.CompletedTask;
        });
    }

    /// <summary>What <c>#!about</c> shows: this host, the kernel library it runs and the tool release it matches.</summary>
    internal static string About()
    {
        static string Version(Assembly a) => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                                             ?? a.GetName().Version?.ToString() ?? "unknown";
        return string.Join("\n",
            ".NET Interactive",
            $"Library version: {Version(typeof(CompositeKernel).Assembly)} (C# kernel {Version(typeof(Microsoft.DotNet.Interactive.CSharp.CSharpKernel).Assembly)})",
            $"Host: Dropout.Notebooks runner {Version(typeof(KernelDirectives).Assembly)}, in-process; the same kernel packages as the released dotnet-interactive 1.0.712001",
            "https://github.com/dotnet/interactive");
    }
}
