namespace SharpFlow.Train.Monitored;

/// <summary>What the hooks share: the global step they read, and TensorFlow's log lines.</summary>
internal static class HookUtil
{
    public static Variable GlobalStep(string hook) =>
        TrainingUtil.GetGlobalStep() ?? throw new InvalidOperationException($"Global step should be created to use {hook}.");

    public static long Step(object? value) => value is NDArray a ? a.Cast(DType.int64).item<long>() : 0;

    public static long Step(Session session, Tensor globalStep) => session.run(globalStep).Cast(DType.int64).item<long>();

    public static void Info(string message) => Console.Error.WriteLine("INFO:tensorflow:" + message);

    public static void Warning(string message) => Console.Error.WriteLine("WARNING:tensorflow:" + message);

    public static void Error(string message) => Console.Error.WriteLine("ERROR:tensorflow:" + message);
}
