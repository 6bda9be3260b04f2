using Microsoft.ML.OnnxRuntime;

namespace SharpFlow.Tests.Support;

/// <summary>ONNX Runtime (the reference of the ONNX cross-checks) running a model on one float input, 2 threads.</summary>
internal static class OnnxRuntimeRunner
{
    public static (float[] Values, long[] Shape) Run(string modelPath, string input, string output, float[] data, long[] shape)
    {
        using var options = Options();
        using var session = new InferenceSession(modelPath, options);
        return Run(session, input, output, data, shape);
    }

    public static (float[] Values, long[] Shape) Run(byte[] model, string input, string output, float[] data, long[] shape)
    {
        using var options = Options();
        using var session = new InferenceSession(model, options);
        return Run(session, input, output, data, shape);
    }

    private static SessionOptions Options() => new() { IntraOpNumThreads = 2, InterOpNumThreads = 1 };

    private static (float[] Values, long[] Shape) Run(InferenceSession session, string input, string output, float[] data, long[] shape)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var run = new RunOptions();
        using var results = session.Run(run, [input], [value], [output]);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[0].GetTensorTypeAndShape().Shape);
    }
}
