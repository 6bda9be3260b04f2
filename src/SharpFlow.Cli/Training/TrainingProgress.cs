using Spectre.Console;

namespace SharpFlow.Cli.Training;

/// <summary>
/// Shows training as it goes: a live Spectre.Console progress bar (epoch, step, loss, images/s, ETA) on a
/// terminal, plain lines every <c>--log-every</c> steps when the output is redirected.
/// </summary>
internal abstract class TrainingProgress
{
    /// <summary>Runs <paramref name="body"/> with a live bar when <paramref name="live"/>, else with plain lines.</summary>
    public static void Run(bool live, int totalSteps, int logEvery, Action<TrainingProgress> body)
    {
        if (!live)
        {
            body(new Plain(logEvery));
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx => body(new Live(ctx.AddTask("training", maxValue: totalSteps))));
    }

    /// <summary>After each step.</summary>
    public abstract void Step(int epoch, int epochs, int step, int steps, float loss, double imagesPerSecond, TimeSpan eta);

    /// <summary>A line that stays (epoch summaries).</summary>
    public abstract void Line(string text);

    protected static string Format(int epoch, int epochs, int step, int steps, float loss, double imagesPerSecond, TimeSpan eta) =>
        $"epoch {epoch}/{epochs}  step {step}/{steps}  loss {loss:F4}  {imagesPerSecond:F0} img/s  eta {Eta(eta)}";

    public static string Eta(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : $"{t.Minutes}m{t.Seconds:D2}s";

    private sealed class Plain(int every) : TrainingProgress
    {
        public override void Step(int epoch, int epochs, int step, int steps, float loss, double imagesPerSecond, TimeSpan eta)
        {
            if (step % every == 0 || step == steps) Console.WriteLine(Format(epoch, epochs, step, steps, loss, imagesPerSecond, eta));
        }

        public override void Line(string text) => Console.WriteLine(text);
    }

    private sealed class Live(ProgressTask task) : TrainingProgress
    {
        public override void Step(int epoch, int epochs, int step, int steps, float loss, double imagesPerSecond, TimeSpan eta)
        {
            task.Description = Markup.Escape(Format(epoch, epochs, step, steps, loss, imagesPerSecond, eta));
            task.Increment(1);
        }

        public override void Line(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));
    }
}
