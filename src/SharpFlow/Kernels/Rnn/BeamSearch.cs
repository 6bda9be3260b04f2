namespace SharpFlow.Kernels;

/// <summary>TensorFlow's beam-search kernels (contrib/seq2seq/kernels/beam_search_ops.cc) on row-major spans.</summary>
internal static class BeamSearch
{
    /// <summary>
    /// GatherTree on [maxTime, batch, beam] ids: each beam's ids followed back through its parents from its batch
    /// entry's length (capped at maxTime); <c>end_token</c> past the length and after the first <c>end_token</c>.
    /// Returns TensorFlow's error message for a parent id outside [0, beam), or null.
    /// </summary>
    public static string? GatherTree(ReadOnlySpan<int> stepIds, ReadOnlySpan<int> parentIds, ReadOnlySpan<int> maxSequenceLengths, int endToken,
        int maxTime, int batch, int beamWidth, Span<int> beams)
    {
        beams.Fill(endToken);
        int At(int t, int b, int k) => (t * batch + b) * beamWidth + k;
        for (var b = 0; b < batch; b++)
            for (var beam = 0; beam < beamWidth; beam++)
            {
                var len = Math.Min(maxTime, maxSequenceLengths[b]);
                if (len <= 0) continue;
                beams[At(len - 1, b, beam)] = stepIds[At(len - 1, b, beam)];
                var parent = parentIds[At(len - 1, b, beam)];
                for (var level = len - 2; level >= 0; level--)
                {
                    // TensorFlow tests parent > beam_width; an id equal to beam_width would read past the beam.
                    if (parent < 0 || parent >= beamWidth)
                        return $"Saw invalid parent id {parent} at (batch, time, beam) == ({b}, {level}, {beam})";
                    beams[At(level, b, beam)] = stepIds[At(level, b, parent)];
                    parent = parentIds[At(level, b, parent)];
                }
                var finished = false;
                for (var t = 0; t < len; t++)
                {
                    if (finished) beams[At(t, b, beam)] = endToken;
                    else if (beams[At(t, b, beam)] == endToken) finished = true;
                }
            }
        return null;
    }
}
