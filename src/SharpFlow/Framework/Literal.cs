using System.Globalization;

namespace SharpFlow;

/// <summary>
/// Turns .NET values into <see cref="NDArray"/>s with TensorFlow's rules for Python values
/// (<c>tensor_util.make_tensor_proto</c>): integers default to int32, floating-point numbers to float32, an explicit
/// dtype converts when no information is lost in kind (ints to floats, float64 to float32), and a float asked to
/// become an integer is a <see cref="TypeError"/>.
/// </summary>
public static class Literal
{
    /// <summary>True when <paramref name="value"/> is something <see cref="ToNDArray"/> accepts.</summary>
    public static bool IsLiteral(object? value) => value is NDArray or Array or double or float or int or long or bool or byte or ushort or sbyte or short or uint or ulong or Half or string;

    /// <summary>
    /// Converts a number, a (possibly jagged or multi-dimensional) array, or an NDArray to an NDArray of
    /// <paramref name="dtype"/> (or the value's default dtype).
    /// </summary>
    public static NDArray ToNDArray(object value, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        NDArray raw;
        bool pythonFloat; // a C# double stands for a Python float: float32 unless asked otherwise
        switch (value)
        {
            case NDArray nd:
                raw = nd;
                pythonFloat = false;
                break;
            case double d:
                raw = NDArray.Scalar(d);
                pythonFloat = true;
                break;
            case float f: raw = NDArray.Scalar(f); pythonFloat = false; break;
            case int i: raw = NDArray.Scalar(i); pythonFloat = false; break;
            case long l: raw = NDArray.Scalar(l); pythonFloat = false; break;
            case bool b: raw = NDArray.Scalar(b); pythonFloat = false; break;
            case byte u: raw = NDArray.Scalar(u); pythonFloat = false; break;
            case ushort u16: raw = NDArray.Scalar(u16); pythonFloat = false; break;
            case sbyte i8: raw = NDArray.Scalar(i8); pythonFloat = false; break;
            case short i16: raw = NDArray.Scalar(i16); pythonFloat = false; break;
            case uint u32: raw = NDArray.Scalar(u32); pythonFloat = false; break;
            case ulong u64: raw = NDArray.Scalar(u64); pythonFloat = false; break;
            case Half h: raw = NDArray.Scalar(h); pythonFloat = false; break;
            case string str: raw = NDArray.FromStrings([str], Shape.Scalar); pythonFloat = false; break;
            case string[] strs: raw = NDArray.FromStrings(strs, new Shape(strs.Length)); pythonFloat = false; break;
            case Array arr:
                raw = FromAnyArray(arr);
                pythonFloat = raw.dtype == DType.float64;
                break;
            default:
                throw new TypeError($"Cannot convert a value of type {value.GetType().Name} to a tensor; " +
                                    "use a number, an array or an NDArray.");
        }

        var target = dtype ?? (pythonFloat ? DType.float32 : raw.dtype);
        // A caller's NDArray is copied: the constant made from it must not change when the caller's array does.
        if (target == raw.dtype) return ReferenceEquals(raw, value) ? raw.Copy() : raw;
        CheckConvertible(raw, target, value);
        return raw.Cast(target);
    }

    private static void CheckConvertible(NDArray raw, DType target, object original)
    {
        var from = raw.dtype;
        var ok = (from.is_floating && target.is_floating)
                 || (from.is_integer && (target.is_floating || target.is_integer))
                 || (from == DType.@bool && target == DType.@bool);
        if (!ok)
        {
            var shown = original is Array or NDArray ? $"a value of dtype {from.name}" : Convert.ToString(original, CultureInfo.InvariantCulture);
            throw new TypeError($"Expected {target.name}, got {shown} of type '{PythonTypeName(from)}' instead.");
        }
        if (from.is_integer && target.is_integer)
        {
            var values = raw.ToArray<long>();
            var (min, max) = target.Id switch
            {
                DataType.UInt8 => (0L, 255L),
                DataType.UInt16 => (0L, 65535L),
                DataType.Int8 => (sbyte.MinValue, (long)sbyte.MaxValue),
                DataType.Int16 => (short.MinValue, (long)short.MaxValue),
                DataType.UInt32 => (0L, uint.MaxValue),
                DataType.UInt64 => (0L, long.MaxValue),
                DataType.Int32 => (int.MinValue, (long)int.MaxValue),
                _ => (long.MinValue, long.MaxValue),
            };
            foreach (var v in values)
                if (v < min || v > max)
                    throw new ValueError($"Value {v} is out of range for dtype {target.name}.");
        }
    }

    private static string PythonTypeName(DType d) => d.is_floating ? "float" : d == DType.@bool ? "bool" : "int";

    private static NDArray FromAnyArray(Array arr)
    {
        var elementType = arr.GetType().GetElementType()!;
        if (!elementType.IsArray) return NDArray.FromArray(arr);
        // A jagged array such as int[][]: Python's nested lists. It must be rectangular.
        var dims = new List<int>();
        object probe = arr;
        while (probe is Array a && a.GetType().GetElementType()!.IsArray)
        {
            dims.Add(a.Length);
            if (a.Length == 0) break;
            probe = a.GetValue(0)!;
        }
        var leafType = LeafType(arr.GetType());
        var leaves = new List<Array>();
        Flatten(arr, 0, dims, leaves);
        var leafLength = leaves.Count > 0 ? leaves[0].Length : 0;
        foreach (var leaf in leaves)
            if (leaf.Length != leafLength)
                throw new ValueError("Argument must be a dense tensor: the nested arrays have different lengths.");
        dims.Add(leafLength);
        var storage = Array.CreateInstance(leafType, leaves.Count * leafLength);
        for (var i = 0; i < leaves.Count; i++) Array.Copy(leaves[i], 0, storage, i * leafLength, leafLength);
        return new NDArray(storage, new Shape([.. dims]));
    }

    private static Type LeafType(Type t)
    {
        while (t.IsArray) t = t.GetElementType()!;
        return t;
    }

    private static void Flatten(Array a, int depth, List<int> dims, List<Array> leaves)
    {
        if (!a.GetType().GetElementType()!.IsArray)
        {
            leaves.Add(a);
            return;
        }
        if (a.Length != dims[depth])
            throw new ValueError("Argument must be a dense tensor: the nested arrays have different lengths.");
        foreach (var item in a)
            Flatten((Array)item ?? throw new ValueError("Nested arrays must not contain null."), depth + 1, dims, leaves);
    }
}
