namespace Dropout.Study;

/// <summary>One training run of a study: a pair of dropout probabilities and a seed.</summary>
/// <param name="Seed">Fixes the initial weights, the minibatch order and every dropout mask.</param>
public readonly record struct SeededRun(DropoutPair Pair, int Seed)
{
    /// <summary>Every pair with every seed, pair by pair: the order a study trains them in.</summary>
    public static IReadOnlyList<SeededRun> Plan(IEnumerable<DropoutPair> pairs, IEnumerable<int> seeds) =>
        pairs.SelectMany(p => seeds.Select(s => new SeededRun(p, s))).ToList();

    /// <summary>"(0.2, 0.5) seed 1".</summary>
    public override string ToString() => $"{Pair} seed {Seed}";
}
