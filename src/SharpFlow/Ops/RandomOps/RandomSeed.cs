namespace SharpFlow.Ops.RandomOps;

/// <summary>
/// TensorFlow's seed rule (python/framework/random_seed.py): with a graph seed, an op without its own seed uses
/// the id of the newest op in the graph; with only an op seed, the graph seed defaults to 87654321; with neither,
/// the op is nondeterministic (0, 0). Seeds are reduced modulo 2^31 - 1.
/// </summary>
internal static class RandomSeed
{
    public const int DefaultGraphSeed = 87654321;
    private const long MaxInt32 = int.MaxValue;

    /// <summary>The (seed, seed2) attribute pair for a new random op in <paramref name="graph"/>.</summary>
    public static (long Seed, long Seed2) GetSeed(Graph graph, int? opSeed)
    {
        long? graphSeed = graph.seed;
        (long, long) seeds;
        if (graphSeed is { } g)
            seeds = (Truncate(g), Truncate(opSeed ?? graph.LastId));
        else if (opSeed is { } o)
            seeds = (DefaultGraphSeed, Truncate(o));
        else
            return (0, 0);
        // (0, 0) would mean "nondeterministic" to the kernels, which a user who set seeds does not expect.
        return seeds == (0, 0) ? (0, MaxInt32) : seeds;
    }

    private static long Truncate(long seed)
    {
        var r = seed % MaxInt32;
        return r < 0 ? r + MaxInt32 : r; // Python's % is non-negative for a positive modulus
    }
}
