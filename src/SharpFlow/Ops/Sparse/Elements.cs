using SharpFlow.Framework;

namespace SharpFlow.Ops.Sparse;

/// <summary>
/// Element moves that work for every dtype, strings included (their storage is <c>byte[][]</c>): the sparse and
/// parsing kernels place single values, not whole spans.
/// </summary>
internal static class Elements
{
    /// <summary>The byte strings of a string array.</summary>
    public static byte[][] Strings(NDArray a) => (byte[][])a.Storage;

    /// <summary>Sets every element of <paramref name="dst"/> to element <paramref name="index"/> of <paramref name="src"/>.</summary>
    public static void Fill(NDArray dst, NDArray src, int index)
    {
        switch (dst.Storage)
        {
            case float[] f: System.Array.Fill(f, ((float[])src.Storage)[index]); break;
            case double[] d: System.Array.Fill(d, ((double[])src.Storage)[index]); break;
            case int[] i: System.Array.Fill(i, ((int[])src.Storage)[index]); break;
            case long[] l: System.Array.Fill(l, ((long[])src.Storage)[index]); break;
            case byte[] u: System.Array.Fill(u, ((byte[])src.Storage)[index]); break;
            case bool[] b: System.Array.Fill(b, ((bool[])src.Storage)[index]); break;
            case byte[][] s: System.Array.Fill(s, ((byte[][])src.Storage)[index]); break;
            default:
                for (var k = 0; k < dst.size; k++) System.Array.Copy(src.Storage, index, dst.Storage, k, 1);
                break;
        }
    }

    /// <summary>Copies <paramref name="count"/> elements (byte strings are shared: they are immutable values).</summary>
    public static void Copy(NDArray src, int srcIndex, NDArray dst, int dstIndex, int count = 1) =>
        System.Array.Copy(src.Storage, srcIndex, dst.Storage, dstIndex, count);

    /// <summary>The int64 values of an int32 or int64 array.</summary>
    public static long[] Longs(NDArray a) => a.dtype == DType.int64 ? a.ToArray<long>() : System.Array.ConvertAll(a.ToArray<int>(), v => (long)v);
}
