using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// One notebook's C# session, as the kernel keeps it: a Roslyn script state continued cell after cell,
/// so declarations, variables and <c>using</c> directives carry over. References (<c>#r</c>) are added
/// as the cells ask for them.
/// </summary>
sealed class ScriptSession(string notebookDirectory)
{
    /// <summary>The namespaces every cell starts with, as in the C# kernel (plus the engine's Display extension).</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
    [
        "System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks",
        "Microsoft.DotNet.Interactive.Formatting", "Dropout.Notebooks.Engine.Scripting",
    ];

    static readonly ConcurrentDictionary<string, MetadataReference> HostReferences = new(StringComparer.Ordinal);

    readonly ScriptGlobals _globals = new();
    ScriptOptions _options = ScriptOptions.Default
        .WithReferences(HostAssemblies.Framework()
            .Append(typeof(Formatter).Assembly.Location)
            .Append(typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly.Location)
            .Append(typeof(ScriptSession).Assembly.Location)
            .Select(HostReference))
        .WithImports(DefaultImports)
        .WithFilePath(Path.Combine(notebookDirectory, "notebook.csx"))
        .WithSourceResolver(new SourceFileResolver([], notebookDirectory))
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithOptimizationLevel(OptimizationLevel.Release)
        .WithEmitDebugInformation(false);
    ScriptState<object>? _state;

    /// <summary>
    /// Runs one cell's C# (directives already taken out and turned into <paramref name="references"/>)
    /// and adds its last expression's value, if any, to <paramref name="sink"/>.
    /// </summary>
    public async Task RunAsync(string code, IReadOnlyList<MetadataReference> references, CellOutputSink sink, CancellationToken cancellationToken)
    {
        if (references.Count > 0) _options = _options.AddReferences(references);
        CellOutputSink.Current.Value = sink;
        try
        {
            _state = _state is null
                ? await CSharpScript.RunAsync(code, _options, _globals, typeof(ScriptGlobals), cancellationToken)
                : await _state.ContinueWithAsync(code, _options, cancellationToken);
            if (_state.ReturnValue is { } value and not DisplayedValue && EndsWithExpression(code))
                sink.Add(ValueFormatter.Format(value, isResult: true));
        }
        finally
        {
            CellOutputSink.Current.Value = null;
        }
    }

    /// <summary>
    /// A reference to an assembly the host already runs with, given without its file path: Roslyn's
    /// loader then leaves it to the default load context, which binds to the host's loaded copy
    /// instead of loading a second one (one TorchSharp, one Plotly.NET, one formatter registry).
    /// </summary>
    public static MetadataReference HostReference(string path) =>
        HostReferences.GetOrAdd(path, p => AssemblyMetadata.CreateFromFile(p).GetReference(display: Path.GetFileName(p)));

    /// <summary>True when the cell's last statement is an expression without a semicolon (the kernel shows its value).</summary>
    static bool EndsWithExpression(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script)).GetRoot();
        var last = root.ChildNodes().OfType<GlobalStatementSyntax>().LastOrDefault();
        return last is { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } }
            && root.ChildNodes().Last() == last;
    }
}
