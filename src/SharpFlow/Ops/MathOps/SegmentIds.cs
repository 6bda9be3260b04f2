using SharpFlow.Framework;

namespace SharpFlow.Ops.MathOps;

/// <summary>The checks of the sorted segment ops on their segment ids, with TensorFlow's messages.</summary>
internal static class SegmentIds
{
    /// <summary>
    /// The number of output rows (the last id + 1) after TensorFlow's run-by-run checks: each run's id must be
    /// less than the next run's ("segment ids are not increasing") and within <c>[0, rows)</c>.
    /// <paramref name="checkRun"/> sees each run (start, end) after its id was checked, as TensorFlow reduces it.
    /// </summary>
    public static int OutputRows(long[] ids, Func<string, Exception> error, Action<int, int>? checkRun = null)
    {
        var rows = ids.Length > 0 ? ids[^1] + 1 : 0;
        if (rows < 0) throw error("segment ids must be >= 0");
        if (rows > int.MaxValue) throw error($"segment id {ids[^1]} is too large");
        var start = 0;
        while (start < ids.Length)
        {
            var end = start + 1;
            while (end < ids.Length && ids[end] == ids[start]) end++;
            if (end < ids.Length && ids[start] >= ids[end]) throw error("segment ids are not increasing");
            if (ids[start] < 0 || ids[start] >= rows)
                throw error($"Segment id {ids[start]} out of range [0, {rows}), possibly because 'segment_ids' input is not sorted.");
            checkRun?.Invoke(start, end);
            start = end;
        }
        return (int)rows;
    }

    /// <summary>Refuses an index dtype other than int32 and int64.</summary>
    public static void CheckIndexType(InferenceContext ctx, int input, string what)
    {
        if (ctx.InputDType(input) != DType.int32 && ctx.InputDType(input) != DType.int64)
            throw ctx.TypeError($"{what} must be int32 or int64, got {ctx.InputDType(input).name}");
    }

    /// <summary>Refuses a shape of known rank other than <paramref name="rank"/> (or, with <paramref name="atLeast"/>, below it).</summary>
    public static void CheckRank(InferenceContext ctx, int input, int rank, string what, bool atLeast = false)
    {
        var s = ctx.InputShape(input);
        if (!s.IsKnownRank) return;
        if (atLeast ? s.ndims < rank : s.ndims != rank)
            throw ctx.Error($"Shape must be {(atLeast ? "at least " : "")}rank {rank} but is rank {s.ndims} ({what} {s.ToListString()})");
    }
}
