using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace Dropout.Notebooks.Runner.Kernel;

/// <summary>
/// The .NET Interactive kernel the notebooks run in: the same composition the released
/// <c>dotnet-interactive</c> tool (1.0.712001) builds for VS Code and Jupyter, from the same packages
/// (Microsoft.DotNet.Interactive* 1.0.0-beta.26120.1, built from the tool's commit), hosted in this process.
/// <para>
/// Kept from the tool: the C# kernel with <c>#r "nuget: ..."</c>, its helpers (<c>display</c>, <c>Update</c>),
/// <c>#!who</c>/<c>#!whos</c> and value sharing (<c>#!set</c>, <c>#!share</c>); the <c>#!html</c> and
/// <c>#!value</c> kernels; <c>#!import</c>; kernel extensions shipped in NuGet packages (Plotly.NET.Interactive's
/// chart formatter). Added here because the tool takes them from assemblies that are not published as packages:
/// <c>#!time</c>, <c>#!about</c>, <c>#!lsmagic</c> and the extension loader (see <see cref="PackageExtensions"/>,
/// <see cref="KernelDirectives"/>). Left out: the F#, PowerShell, Mermaid, HTTP and SQL/KQL kernels and
/// <c>#!connect</c>, whose packages are not served here; a cell in one of those languages fails with the kernel's own
/// message.
/// </para>
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
