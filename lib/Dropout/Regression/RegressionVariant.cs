using System.Globalization;

namespace Dropout.Regression;

/// <summary>
/// One way to train Morvan's net in the seed study: dropout or not, optimizer, learning rate, and weight penalty
/// (L2 as the optimizer's <c>weight_decay</c>, L1 as λ·Σ|w| added to the loss, as the blog writes them).
/// </summary>
/// <param name="Dropout">True: the source's <c>net_dropped</c>; false: <c>net_overfitting</c>.</param>
/// <param name="Optimizer">Adam (Morvan's) or SGD (the blog's L2 line).</param>
public sealed record RegressionVariant(string Name, bool Dropout, double Lr, RegressionOptimizer Optimizer = RegressionOptimizer.Adam,
    double WeightDecay = 0, double L1Lambda = 0)
{
    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first field that makes no sense.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentOutOfRangeException(nameof(Name), Name, "a regression variant needs a name.");
        if (!double.IsFinite(Lr) || Lr <= 0) throw Bad(nameof(Lr), Lr, "a finite number > 0");
        if (!double.IsFinite(WeightDecay) || WeightDecay < 0) throw Bad(nameof(WeightDecay), WeightDecay, "a finite number >= 0");
        if (!double.IsFinite(L1Lambda) || L1Lambda < 0) throw Bad(nameof(L1Lambda), L1Lambda, "a finite number >= 0");
    }

    /// <summary>"Adam lr 0.01, dropout, weight_decay 0.001" — the recipe in words.</summary>
    public string Recipe
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            var parts = new List<string> { $"{(Optimizer == RegressionOptimizer.Sgd ? "SGD" : "Adam")} lr {Lr.ToString(c)}" };
            if (Dropout) parts.Add("dropout");
            if (WeightDecay > 0) parts.Add($"weight_decay {WeightDecay.ToString(c)}");
            if (L1Lambda > 0) parts.Add($"L1 λ {L1Lambda.ToString(c)}");
            return string.Join(", ", parts);
        }
    }

    static ArgumentOutOfRangeException Bad(string name, object value, string expected) =>
        new(name, value, $"the regression variant's {name} must be {expected}; got {value}.");
}
