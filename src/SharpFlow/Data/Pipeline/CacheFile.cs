using System.Runtime.InteropServices;
using SharpFlow.Framework;

namespace SharpFlow.Data.Pipeline;

/// <summary>
/// The file behind <c>cache(filename)</c>: all elements of one complete pass, written when the pass ends (to a
/// temporary name, then renamed, so a pass cut short leaves no half cache) and read by later passes and later
/// sessions. Format: "SFDC", element count, component count, then per component its dtype, rank, dims and data.
/// </summary>
internal static class CacheFile
{
    private const uint Magic = 0x43444653; // "SFDC"

    public static void Write(string filename, List<NDArray[]> elements)
    {
        var path = filename + ".sharpflow-cache";
        var temp = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(temp)))
        {
            w.Write(Magic);
            w.Write(elements.Count);
            w.Write(elements.Count == 0 ? 0 : elements[0].Length);
            foreach (var e in elements)
                foreach (var c in e)
                {
                    w.Write((int)c.dtype.Id);
                    w.Write(c.ndim);
                    foreach (var d in c.shape.Dims) w.Write(d);
                    if (c.dtype == DType.@string)
                        for (var i = 0; i < c.size; i++)
                        {
                            var bytes = c.StringBytes(i);
                            w.Write(bytes.Length);
                            w.Write(bytes);
                        }
                    else w.Write(c.AsBytes());
                }
        }
        File.Move(temp, path, overwrite: true);
    }

    public static List<NDArray[]>? TryRead(string filename, int components)
    {
        var path = filename + ".sharpflow-cache";
        if (!File.Exists(path)) return null;
        using var r = new BinaryReader(File.OpenRead(path));
        if (r.ReadUInt32() != Magic) throw new DataLossError($"{path}: not a dataset cache file");
        var count = r.ReadInt32();
        var n = r.ReadInt32();
        if (count > 0 && n != components) throw new DataLossError($"{path}: the cache holds {n} components per element, the dataset has {components}");
        var result = new List<NDArray[]>(count);
        for (var e = 0; e < count; e++)
        {
            var element = new NDArray[n];
            for (var c = 0; c < n; c++)
            {
                var dtype = new DType((DataType)r.ReadInt32());
                var dims = new int[r.ReadInt32()];
                for (var d = 0; d < dims.Length; d++) dims[d] = r.ReadInt32();
                var shape = new Shape(dims);
                var storage = NDArray.AllocateStorage(dtype, NDArray.CheckedCount(shape, dtype));
                if (storage is byte[][] strings)
                    for (var i = 0; i < strings.Length; i++) strings[i] = r.ReadBytes(r.ReadInt32());
                else
                {
                    var bytes = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(storage), storage.Length * dtype.size);
                    if (r.Read(bytes) != bytes.Length) throw new DataLossError($"{path}: truncated");
                }
                element[c] = new NDArray(storage, shape);
            }
            result.Add(element);
        }
        return result;
    }
}
