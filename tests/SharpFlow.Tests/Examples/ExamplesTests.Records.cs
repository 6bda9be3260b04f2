using System.Text.RegularExpressions;

namespace SharpFlow.Tests.Examples;

public partial class ExamplesTests
{
    /// <summary>Chapter 7's TFRecord program: every record read back equals what was written.</summary>
    [Fact, Example("07-tfrecord.cs")]
    public void TFRecordFashionMnist()
    {
        var output = ExampleRunner.Run("07-tfrecord.cs", TimeSpan.FromMinutes(3), "300");
        Assert.Contains("writing 300 examples of 784 pixels", output);
        Assert.Contains("read 300 records, 300 identical to what was written", output);
        Assert.Matches(new Regex(@"record 0: label \d \(\S+.*\), pixels 784"), output);
        Assert.Contains("GZIP batch: images [100  28  28   1]", output);
        Assert.Contains("read 300 records through a TFRecordReader queue, 300 identical to what was written", output);
    }
}
