using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Models;

/// <summary>PyTorch's <c>print(net)</c> for TorchSharp modules, whose <c>ToString()</c> is only the type name: a line per
/// layer, children indented and named, e.g. <c>(1): Dropout(p=0.5, inplace=False)</c>.</summary>
public static class ModuleListing
{
    /// <summary>The module and its children, nested as PyTorch prints them.</summary>
    public static string Describe(nn.Module module)
    {
        var lines = new List<string>();
        Write(module, prefix: "", indent: "", lines);
        return string.Join(Environment.NewLine, lines);
    }

    static void Write(nn.Module module, string prefix, string indent, List<string> lines)
    {
        var children = module.named_children().ToList();
        if (children.Count == 0)
        {
            lines.Add(indent + prefix + Leaf(module));
            return;
        }
        lines.Add(indent + prefix + Name(module) + "(");
        foreach (var (name, child) in children) Write(child, $"({name}): ", indent + "  ", lines);
        lines.Add(indent + ")");
    }

    static string Leaf(nn.Module module)
    {
        var c = CultureInfo.InvariantCulture;
        return module switch
        {
            Linear l => $"Linear(in_features={l.in_features}, out_features={l.out_features}, bias={(l.bias is null ? "False" : "True")})",
            TorchSharp.Modules.Dropout d => string.Format(c, "Dropout(p={0}, inplace={1})", d.p, d.inplace ? "True" : "False"),
            ReLU r => r.inplace ? "ReLU(inplace=True)" : "ReLU()",
            _ => Name(module) + "()",
        };
    }

    static string Name(nn.Module module) => module.GetType().Name;
}
