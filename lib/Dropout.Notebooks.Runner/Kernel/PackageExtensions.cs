using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace Dropout.Notebooks.Runner.Kernel;

/// <summary>
/// Loads a NuGet package's kernel extensions after the cell whose <c>#r "nuget: ..."</c> added it, as the tool's
/// unpublished <c>UseNuGetExtensions</c> does: each <see cref="IKernelExtension"/> in
/// <c>interactive-extensions/dotnet/*.dll</c>, then <c>extension.dib</c>. Plotly.NET.Interactive's charts come this way.
/// </summary>
static class PackageExtensions
{
    const string ExtensionScript = "extension.dib";

    public static void Load(CompositeKernel kernel)
    {
        var added = new ConcurrentQueue<PackageAdded>();
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        kernel.RegisterForDisposal(kernel.KernelEvents.OfType<PackageAdded>()
            .Where(p => p.PackageReference.PackageRoot is not null)
            .Subscribe(added.Enqueue));
        kernel.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (added.TryDequeue(out var package))
            {
                string directory = Path.Combine(package.PackageReference.PackageRoot, "interactive-extensions", "dotnet");
                if (!Directory.Exists(directory) || !loaded.Add(directory)) continue;
                foreach (string dll in Directory.GetFiles(directory, "*.dll").Order(StringComparer.Ordinal))
                    await LoadAssemblyAsync(dll, kernel, context);
                string script = Path.Combine(directory, ExtensionScript);
                if (File.Exists(script))
                {
                    KernelInvocationContextExtensions.Display(context, $"Loading extension script from `{script}`");
                    await kernel.SendAsync(new SubmitCode(await File.ReadAllTextAsync(script)));
                }
            }
        });
    }

    static async Task LoadAssemblyAsync(string dll, CompositeKernel kernel, KernelInvocationContext context)
    {
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(dll);
        var extensions = assembly.ExportedTypes
            .Where(t => !t.IsAbstract && !t.IsInterface && !t.IsGenericTypeDefinition && typeof(IKernelExtension).IsAssignableFrom(t))
            .ToList();
        if (extensions.Count > 0) KernelInvocationContextExtensions.Display(context, $"Loading extensions from `{assembly.Location}`");
        foreach (var type in extensions)
        {
            var extension = (IKernelExtension)Activator.CreateInstance(type)!;
            try
            {
                await extension.OnLoadAsync(kernel);
                context.Publish(new KernelExtensionLoaded(extension, context.Command));
            }
            catch (Exception e)
            {
                context.Publish(new ErrorProduced($"Failed to load kernel extension \"{type.Name}\" from assembly {assembly.Location}", context.Command));
                context.Fail(context.Command, new KernelExtensionLoadException(e));
            }
        }
    }
}
