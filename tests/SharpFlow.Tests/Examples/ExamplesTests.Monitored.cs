using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpFlow.Tests.Examples;

public partial class ExamplesTests
{
    /// <summary>MonitoredTrainingSession: 300 steps, then a second run on the same directory resumes and stops at 400.</summary>
    [Fact, Example("monitored-training.cs")]
    public void MonitoredTraining()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-example-monitored-").FullName;
        try
        {
            var output = ExampleRunner.Run("monitored-training.cs", TimeSpan.FromMinutes(5), "300", dir);
            Assert.Contains("no checkpoint: training from the start\n300 training steps\nnewest checkpoint: model.ckpt-300\n", output);
            var accuracy = double.Parse(Regex.Match(output, @"test accuracy \(tf\.metrics\.accuracy\): ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(accuracy >= 0.6, output);
            Assert.NotEmpty(Directory.GetFiles(dir, "events.out.tfevents.*"));
            var resumed = ExampleRunner.Run("monitored-training.cs", TimeSpan.FromMinutes(5), "400", dir);
            Assert.Contains("resuming from model.ckpt-300\n100 training steps\nnewest checkpoint: model.ckpt-400\n", resumed);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
