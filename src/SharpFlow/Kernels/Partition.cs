namespace SharpFlow.Kernels;

/// <summary>
/// Splits a loop over independent items across threads in fixed contiguous ranges. Each item writes only its own
/// outputs, so the result is the same however the ranges are scheduled.
/// </summary>
internal static class Partition
{
    private const long MinParallelWork = 1L << 15; // operations below which threads cost more than they save

    /// <summary>Runs <paramref name="body"/>(start, end) over <c>[0, count)</c>, in parallel when the work is large enough.</summary>
    public static void For(int count, long workPerItem, Action<int, int> body)
    {
        var threads = Environment.ProcessorCount;
        if (threads == 1 || count < 2 || count * Math.Max(1, workPerItem) < MinParallelWork)
        {
            body(0, count);
            return;
        }
        var chunks = Math.Min(count, threads * 4);
        Parallel.For(0, chunks, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }
}
