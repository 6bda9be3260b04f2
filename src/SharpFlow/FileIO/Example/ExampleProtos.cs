using Google.Protobuf;
using P = Tensorflow;

namespace SharpFlow.FileIO;

/// <summary>Converts the public Example classes to and from the generated messages of example.proto/feature.proto.</summary>
internal static class ExampleProtos
{
    public static T Parse<T>(MessageParser<T> parser, byte[] bytes, string what) where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DataLossError($"Could not parse a {what} from {bytes.Length} bytes: {e.Message}", null, e);
        }
    }

    public static P.Feature ToProto(Feature f)
    {
        var p = new P.Feature();
        if (f.bytes_list is { } b) { p.BytesList = new P.BytesList(); p.BytesList.Value.AddRange(b.value.Select(ByteString.CopyFrom)); }
        else if (f.float_list is { } fl) { p.FloatList = new P.FloatList(); p.FloatList.Value.AddRange(fl.value); }
        else if (f.int64_list is { } il) { p.Int64List = new P.Int64List(); p.Int64List.Value.AddRange(il.value); }
        return p;
    }

    public static Feature FromProto(P.Feature p) => p.KindCase switch
    {
        P.Feature.KindOneofCase.BytesList => new Feature(bytes_list: new BytesList(p.BytesList.Value.Select(v => v.ToByteArray()))),
        P.Feature.KindOneofCase.FloatList => new Feature(float_list: new FloatList(p.FloatList.Value)),
        P.Feature.KindOneofCase.Int64List => new Feature(int64_list: new Int64List(p.Int64List.Value)),
        _ => new Feature(),
    };

    public static P.Features ToProto(Features f)
    {
        var p = new P.Features();
        foreach (var (k, v) in f.feature) p.Feature[k] = ToProto(v);
        return p;
    }

    public static Features FromProto(P.Features? p) => new(p?.Feature.ToDictionary(kv => kv.Key, kv => FromProto(kv.Value)));

    public static P.Example ToProto(Example e) => new() { Features = ToProto(e.features) };

    public static Example FromProto(P.Example p) => new(FromProto(p.Features));

    public static P.SequenceExample ToProto(SequenceExample s)
    {
        var lists = new P.FeatureLists();
        foreach (var (k, v) in s.feature_lists.feature_list)
        {
            var fl = new P.FeatureList();
            fl.Feature.AddRange(v.feature.Select(ToProto));
            lists.FeatureList[k] = fl;
        }
        return new P.SequenceExample { Context = ToProto(s.context), FeatureLists = lists };
    }

    public static SequenceExample FromProto(P.SequenceExample p) => new(
        FromProto(p.Context),
        new FeatureLists(p.FeatureLists?.FeatureList.ToDictionary(kv => kv.Key, kv => new FeatureList(kv.Value.Feature.Select(FromProto)))));
}
