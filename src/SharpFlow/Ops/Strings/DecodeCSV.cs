using System.Text;
using SharpFlow.Framework;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.Strings;

/// <summary>
/// DecodeCSV (<c>tf.decode_csv</c>): splits each record into fields (RFC 4180 quoting with
/// <c>use_quote_delim</c>) and converts field f to the dtype of <c>record_defaults[f]</c>; an empty field (or
/// <c>na_value</c>) takes the default, and a field without a default is an error. TensorFlow's decode_csv_op.cc.
/// </summary>
internal sealed class DecodeCSV : OpDef
{
    public static readonly DecodeCSV Def = new();

    private static readonly OpAttr<DType[]> OUTTYPE = new("OUT_TYPE");
    private static readonly OpAttr<string> FieldDelim = new("field_delim", ",");
    private static readonly OpAttr<bool> UseQuoteDelim = new("use_quote_delim", true);
    private static readonly OpAttr<string> NaValue = new("na_value", "");
    private static readonly OpAttr<int[]> SelectCols = new("select_cols", []);

    public override string Type => "DecodeCSV";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"records must be a string tensor, got {ctx.InputDType(0).name}");
        var types = OUTTYPE.Of(ctx);
        if (FieldDelim.Of(ctx).Length != 1) throw ctx.Error("field_delim should be only 1 char");
        for (var f = 0; f < types.Length; f++)
        {
            var t = types[f];
            if (t != DType.float32 && t != DType.float64 && t != DType.int32 && t != DType.int64 && t != DType.@string)
                throw ctx.TypeError($"record_defaults[{f}] has dtype {t.name}: use float32, float64, int32, int64 or string");
            var s = ctx.InputShape(1 + f);
            if (s.IsKnownRank && s.ndims > 1) throw ctx.Error($"Shape of a default must be a length-0 or length-1 vector, or a scalar; record_defaults[{f}] has shape {s}");
            if (s.IsFullyDefined && s.NumElements > 1) throw ctx.Error($"Shape of a default must be a length-0 or length-1 vector, or a scalar; record_defaults[{f}] has shape {s}");
        }
        foreach (var _ in types) ctx.AddOutput(_, ctx.InputShape(0));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var types = OUTTYPE.Of(op);
        var delim = (byte)FieldDelim.Of(op)[0];
        var quotes = UseQuoteDelim.Of(op);
        var na = NaValue.Of(op);
        var select = SelectCols.Of(op);
        return OpKernel.From(ctx =>
        {
            var records = ctx.Input(0);
            for (var f = 0; f < types.Length; f++)
                if (ctx.Input(1 + f).size > 1)
                    throw ctx.InvalidArgument($"There should only be 1 default per field but field {f} has {ctx.Input(1 + f).size}");
            var outputs = types.Select((t, f) => ctx.AllocateOutput(f, t, records.shape)).ToArray();
            var strings = Elements.Strings(records);
            for (var i = 0; i < strings.Length; i++)
            {
                var fields = Fields(ctx, strings[i], delim, quotes, i);
                if (select.Length > 0)
                {
                    if (select[^1] >= fields.Count) throw ctx.InvalidArgument($"Expect {select[^1] + 1} fields but have {fields.Count} in record {i}");
                    fields = select.Select(c => fields[c]).ToList();
                }
                else if (fields.Count != types.Length)
                    throw ctx.InvalidArgument($"Expect {types.Length} fields but have {fields.Count} in record {i}");
                for (var f = 0; f < types.Length; f++)
                {
                    var field = fields[f];
                    var dflt = ctx.Input(1 + f);
                    if (field.Length == 0 || field == na)
                    {
                        if (dflt.size != 1) throw ctx.InvalidArgument($"Field {f} is required but missing in record {i}!");
                        Elements.Copy(dflt, 0, outputs[f], i);
                        continue;
                    }
                    Exception Bad(string what) => ctx.InvalidArgument($"Field {f} in record {i} is not a valid {what}: {field}");
                    switch (types[f].Id)
                    {
                        case DataType.Int32:
                            outputs[f].AsSpan<int>()[i] = StringToNumber.TryInt(field, out var v) && v is >= int.MinValue and <= int.MaxValue ? (int)v : throw Bad("int32");
                            break;
                        case DataType.Int64: outputs[f].AsSpan<long>()[i] = StringToNumber.TryInt(field, out var l) ? l : throw Bad("int64"); break;
                        case DataType.Float: outputs[f].AsSpan<float>()[i] = StringToNumber.TryFloat(field, out var x) ? (float)x : throw Bad("float"); break;
                        case DataType.Double: outputs[f].AsSpan<double>()[i] = StringToNumber.TryFloat(field, out var d) ? d : throw Bad("double"); break;
                        default: Elements.Strings(outputs[f])[i] = Encoding.UTF8.GetBytes(field); break;
                    }
                }
            }
        });
    }

    /// <summary>TensorFlow's ExtractFields, byte for byte.</summary>
    private static List<string> Fields(OpKernelContext ctx, byte[] input, byte delim, bool quotes, int record)
    {
        var result = new List<string>();
        if (input.Length == 0) return result;
        var i = 0;
        var field = new List<byte>();
        while (i < input.Length)
        {
            if (input[i] == '\n' || input[i] == '\r') { i++; continue; }
            var quoted = false;
            if (quotes && input[i] == '"') { quoted = true; i++; }
            field.Clear();
            if (!quoted)
            {
                while (i < input.Length && input[i] != delim)
                {
                    if ((quotes && input[i] == '"') || input[i] == '\n' || input[i] == '\r')
                        throw ctx.InvalidArgument($"Unquoted fields cannot have quotes/CRLFs inside (record {record})");
                    field.Add(input[i++]);
                }
                i++;
            }
            else
            {
                while (i < input.Length - 1 && (input[i] != '"' || input[i + 1] != delim))
                {
                    if (input[i] != '"') field.Add(input[i++]);
                    else
                    {
                        if (input[i + 1] != '"') throw ctx.InvalidArgument($"Quote inside a string has to be escaped by another quote (record {record})");
                        field.Add((byte)'"');
                        i += 2;
                    }
                }
                if (!(i < input.Length && input[i] == '"' && (i == input.Length - 1 || input[i + 1] == delim)))
                    throw ctx.InvalidArgument($"Quoted field has to end with quote followed by delim or end (record {record})");
                i += 2;
            }
            result.Add(Encoding.UTF8.GetString(field.ToArray()));
        }
        if (input[^1] == delim) result.Add("");
        return result;
    }

    /// <summary>
    /// <c>tf.decode_csv(records, record_defaults, field_delim=',', use_quote_delim=True, na_value='', select_cols=None)</c>.
    /// A default is a one-element list (<c>new[] { 1.0f }</c>, <c>new[] { "" }</c>) or an empty list of the dtype
    /// (<c>new int[0]</c>: the field is required).
    /// </summary>
    public static Tensor[] Build(TensorLike records, IReadOnlyList<TensorLike> recordDefaults, string fieldDelim = ",", bool useQuoteDelim = true,
        string naValue = "", int[]? selectCols = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(recordDefaults);
        if (selectCols is { Length: > 0 })
        {
            if (selectCols.Length != recordDefaults.Count) throw new ValueError("Length of select_cols and record_defaults do not match.");
            for (var k = 0; k < selectCols.Length; k++)
            {
                if (selectCols[k] < 0) throw new ValueError("select_cols contains negative values");
                if (k > 0 && selectCols[k] <= selectCols[k - 1]) throw new ValueError("select_cols is not strictly increasing");
            }
        }
        using var b = OpBuilder.Begin(name, "DecodeCSV", records);
        var r = b.Convert(records, "records");
        var defaults = recordDefaults.Select((d, f) => b.Convert(d, $"record_defaults_{f}")).ToArray();
        var op = b.Create(Def, [r, .. defaults], new()
        {
            { OUTTYPE, defaults.Select(d => d.dtype).ToArray() }, { FieldDelim, fieldDelim }, { UseQuoteDelim, useQuoteDelim },
            { NaValue, naValue }, { SelectCols, selectCols ?? [] },
        });
        return [.. op.outputs];
    }
}
