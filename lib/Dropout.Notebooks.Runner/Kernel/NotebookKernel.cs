using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace Dropout.Notebooks.Runner.Kernel;

/// <summary>
/// The .NET Interactive kernel the notebooks run in, hosted in this process: the composition the released
/// <c>dotnet-interactive</c> tool (1.0.712001) builds for VS Code and Jupyter, from the same packages
/// (Microsoft.DotNet.Interactive* 1.0.0-beta.26120.1, built from the tool's commit). The tool takes <c>#!time</c>,
/// <c>#!about</c>, <c>#!lsmagic</c> and the extension loader from unpublished assemblies, so they are rewritten here
/// (<see cref="KernelDirectives"/>, <see cref="PackageExtensions"/>). Left out, their packages not being served here:
/// the F#, PowerShell, Mermaid, HTTP and SQL/KQL kernels and <c>#!connect</c>; their cells fail with the kernel's message.
/// </summary>
public static class NotebookKernel
{
    /// <summary>The kernel a notebook's C# cells go to (Polyglot Notebooks' <c>kernelName</c>).</summary>
    public const string CSharpKernelName = "csharp";

    /// <summary>A fresh kernel, ready for a notebook's first cell.</summary>
    public static CompositeKernel Create()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, references) =>
            {
                kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseWho()
            .UseValueSharing();

        var composite = new CompositeKernel();
        composite.Add(csharp, ["c#", "C#"]);
        composite.Add(new HtmlKernel());
        composite.Add(new KeyValueStoreKernel().UseWho());
        composite.UseImportMagicCommand();
        PackageExtensions.Load(composite);
        KernelDirectives.Add(composite);
        composite.DefaultKernelName = CSharpKernelName;
        return composite;
    }
}
