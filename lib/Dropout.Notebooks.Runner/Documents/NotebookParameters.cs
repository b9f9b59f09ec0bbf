using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dropout.Notebooks.Runner.Documents;

/// <summary>
/// Papermill-style parameters: the code cell tagged <c>parameters</c> declares them with defaults (<c>int epochs = 10;</c>);
/// overrides become a cell of C# assignments injected right after it, each value a literal of the declared type.
/// </summary>
public static class NotebookParameters
{
    /// <summary>The tag that marks the parameters cell.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The tag of the injected cell, as papermill names it.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>The parameter <c>--quick</c> sets to <c>true</c>.</summary>
    public const string QuickParameter = "quick";

    /// <summary>A declared parameter; its default value as written.</summary>
    public sealed record Declaration(string Name, string Type, string DefaultValue);

    /// <summary>The parameters a cell declares, in order.</summary>
    public static IReadOnlyList<Declaration> Declarations(string parametersCellSource)
    {
        var root = CSharpSyntaxTree.ParseText(parametersCellSource, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
        var result = new List<Declaration>();
        foreach (var declaration in root.DescendantNodes().OfType<VariableDeclarationSyntax>())
        {
            if (declaration.Parent is not (FieldDeclarationSyntax or LocalDeclarationStatementSyntax)) continue;
            foreach (var variable in declaration.Variables)
            {
                string? type = declaration.Type.IsVar ? InferType(variable.Initializer?.Value) : declaration.Type.ToString();
                if (type is not null)
                    result.Add(new Declaration(variable.Identifier.Text, type, variable.Initializer?.Value.ToString() ?? ""));
            }
        }
        return result;
    }

    /// <summary>The C# of the injected cell: one assignment per override, in order.</summary>
    /// <exception cref="ParameterException">An unknown name, a type that cannot be set from text, or a value that does not parse.</exception>
    public static string InjectedSource(string parametersCellSource, IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        var declared = Declarations(parametersCellSource);
        CheckNoDerivedDefaults(parametersCellSource, overrides.Select(o => o.Key).ToHashSet());
        var lines = new List<string> { "// Parameters injected by the runner (-p, --quick)" };
        foreach (var (name, value) in overrides)
        {
            var declaration = declared.FirstOrDefault(d => d.Name == name)
                ?? throw new ParameterException(
                    $"unknown parameter '{name}'; the parameters cell declares: {(declared.Count == 0 ? "nothing" : string.Join(", ", declared.Select(d => $"{d.Type} {d.Name}")))}.");
            lines.Add($"{name} = {Literal(declaration.Type, name, value)};");
        }
        return string.Join("\n", lines);
    }

    /// <summary>
    /// Refuses defaults computed from an overridden parameter (<c>int epochs = quick ? 2 : 10;</c>): the override comes
    /// after the cell, so the derived value would silently keep its default.
    /// </summary>
    static void CheckNoDerivedDefaults(string source, IReadOnlySet<string> overridden)
    {
        var root = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
        foreach (var variable in root.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            var uses = variable.Initializer?.Value.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
                .Select(i => i.Identifier.Text).Where(overridden.Contains).Distinct().ToList() ?? [];
            if (uses.Count > 0)
                throw new ParameterException(
                    $"the parameters cell computes '{variable.Identifier.Text}' from '{string.Join("', '", uses)}', which is being overridden; " +
                    "the override is injected after the parameters cell, so move that computation to the next cell.");
        }
    }

    static string? InferType(ExpressionSyntax? value) => value switch
    {
        LiteralExpressionSyntax l when l.IsKind(SyntaxKind.TrueLiteralExpression) || l.IsKind(SyntaxKind.FalseLiteralExpression) => "bool",
        LiteralExpressionSyntax l when l.IsKind(SyntaxKind.StringLiteralExpression) => "string",
        LiteralExpressionSyntax l when l.IsKind(SyntaxKind.NumericLiteralExpression) => l.Token.Value switch
        {
            int => "int", long => "long", float => "float", double => "double", decimal => "decimal", _ => null,
        },
        PrefixUnaryExpressionSyntax { OperatorToken.Text: "-" } u => InferType(u.Operand),
        _ => null,
    };

    static string Literal(string type, string name, string text)
    {
        var c = CultureInfo.InvariantCulture;
        string Fail(string expected) =>
            throw new ParameterException($"parameter '{name}' is {type}; '{text}' is not {expected}.");
        switch (type)
        {
            case "bool" or "Boolean" or "System.Boolean":
                return bool.TryParse(text, out bool b) ? (b ? "true" : "false") : Fail("true or false");
            case "int" or "Int32" or "System.Int32":
                return int.TryParse(text, NumberStyles.Integer, c, out int i) ? i.ToString(c) : Fail("an int");
            case "long" or "Int64" or "System.Int64":
                return long.TryParse(text, NumberStyles.Integer, c, out long l) ? l.ToString(c) + "L" : Fail("a long");
            case "double" or "Double" or "System.Double":
                if (!double.TryParse(text, NumberStyles.Float, c, out double d) || !double.IsFinite(d)) Fail("a finite number");
                string ds = d.ToString("R", c);
                return ds.Contains('.') || ds.Contains('E') ? ds : ds + ".0";
            case "float" or "Single" or "System.Single":
                return float.TryParse(text, NumberStyles.Float, c, out float f) && float.IsFinite(f) ? f.ToString("R", c) + "f" : Fail("a finite number");
            case "decimal" or "Decimal" or "System.Decimal":
                return decimal.TryParse(text, NumberStyles.Float, c, out decimal m) ? m.ToString(c) + "m" : Fail("a decimal number");
            case "string" or "String" or "System.String" or "string?":
                return SymbolDisplay.FormatLiteral(text, quote: true);
            default:
                throw new ParameterException($"parameter '{name}' has type {type}, which cannot be set from the command line (bool, int, long, float, double, decimal and string can).");
        }
    }
}
