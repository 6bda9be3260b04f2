using SharpFlow.FileIO;
using System.Text;
using SharpFlow.Summaries;
using SharpFlow.Tests.Ops.Queues;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.FileIO.ReaderOps;

// After tensorflow/python/kernel_tests/reader_ops_test.py: the same files, keys and values.
public sealed class ReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-readers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Text(NDArray a, int i = 0) => Encoding.UTF8.GetString(a.StringBytes(i));

    private static byte[] LineText(int f, int l) => Encoding.UTF8.GetBytes($"{f}: {l}");

    private string[] CreateTextFiles(bool crlf = false, int numFiles = 2, int numLines = 5)
    {
        var files = new string[numFiles];
        for (var i = 0; i < numFiles; i++)
        {
            files[i] = Path.Combine(_dir, $"text_line.{i}.txt");
            using var f = File.Create(files[i]);
            for (var j = 0; j < numLines; j++)
            {
                f.Write(LineText(i, j));
                // A newline after every line, except sometimes after the last one.
                if (j + 1 != numLines || i == 0) f.Write(crlf ? "\r\n"u8 : "\n"u8);
            }
        }
        return files;
    }

    private static FIFOQueue FilenameQueue(Session sess, string[] files, bool close = true)
    {
        var queue = tf.FIFOQueue(99, [tf.@string], shapes: [Shape.Scalar]);
        sess.run(queue.enqueue_many(NDArray.FromStrings(files, new Shape(files.Length))));
        if (close) sess.run(queue.close());
        return queue;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TextLineReaderReadsOneEpoch(bool crlf)
    {
        using var g = TestGraph.Enter();
        var files = CreateTextFiles(crlf);
        var reader = tf.TextLineReader(name: "test_reader");
        Assert.Equal("TextLineReaderV2", reader.reader_ref.op.type);
        Assert.Equal("test_reader", reader.reader_ref.op.name);
        using var sess = tf.Session();
        var queue = FilenameQueue(sess, files);
        var (key, value) = reader.read(queue);
        Assert.Equal("ReaderReadV2", key.op.type);
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < 5; j++)
            {
                var (k, v) = sess.run((key, value));
                Assert.Equal($"{files[i]}:{j + 1}", Text(k));
                Assert.Equal(LineText(i, j), v.StringBytes());
            }
        var e = Assert.Throws<OutOfRangeError>(() => sess.run(key));
        Assert.Contains("is closed and has insufficient elements (requested 1, current size 0)", e.RawMessage);
        Assert.Equal("ReaderReadV2", e.NodeName);
    }

    [Fact]
    public void TextLineReaderSkipsHeaderLines()
    {
        using var g = TestGraph.Enter();
        var files = CreateTextFiles();
        var reader = tf.TextLineReader(skip_header_lines: 1, name: "test_reader");
        using var sess = tf.Session();
        var (key, value) = reader.read(FilenameQueue(sess, files));
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < 4; j++)
            {
                var (k, v) = sess.run((key, value));
                Assert.Equal($"{files[i]}:{j + 2}", Text(k));
                Assert.Equal(LineText(i, j + 1), v.StringBytes());
            }
        Assert.Throws<OutOfRangeError>(() => sess.run(key));
    }

    [Fact]
    public void ReaderCountsRecordsAndFilesAndResets()
    {
        using var g = TestGraph.Enter();
        var files = CreateTextFiles();
        var reader = tf.TextLineReader();
        using var sess = tf.Session();
        var queue = FilenameQueue(sess, files.Concat(files).ToArray());
        var (key, _) = reader.read(queue);
        var produced = reader.num_records_produced();
        var completed = reader.num_work_units_completed();
        Assert.Equal(tf.int64, produced.dtype);
        Assert.Equal(0L, sess.run(produced).item<long>());
        for (var i = 0; i < 6; i++) sess.run(key);
        Assert.Equal(6L, sess.run(produced).item<long>());
        Assert.Equal(1L, sess.run(completed).item<long>());
        sess.run(reader.reset());
        Assert.Equal(0L, sess.run(produced).item<long>());
        Assert.Equal(0L, sess.run(completed).item<long>());
        // After the reset the reader starts on the next file name in the queue (the first file again).
        Assert.Equal($"{files[0]}:1", Text(sess.run(key)));
    }

    [Fact]
    public void ReadUpToGivesVectorsOfRecords()
    {
        using var g = TestGraph.Enter();
        var files = CreateTextFiles();
        var reader = tf.TextLineReader();
        using var sess = tf.Session();
        var (keys, values) = reader.read_up_to(FilenameQueue(sess, files), 3);
        Assert.Equal(new Shape(-1), keys.shape);
        var expected = Enumerable.Range(0, 2).SelectMany(i => Enumerable.Range(0, 5).Select(j => ($"{files[i]}:{j + 1}", LineText(i, j)))).ToList();
        for (var batch = 0; batch < 3; batch++)
        {
            var (k, v) = sess.run((keys, values));
            Assert.Equal(3, k.size);
            for (var r = 0; r < 3; r++)
            {
                Assert.Equal(expected[batch * 3 + r].Item1, Text(k, r));
                Assert.Equal(expected[batch * 3 + r].Item2, v.StringBytes(r));
            }
        }
        // One line left, then the queue is exhausted: TensorFlow's ReadUpTo fails rather than return a short batch.
        Assert.Throws<OutOfRangeError>(() => sess.run(keys));
    }

    [Fact]
    public void WholeFileReaderReadsEachFile()
    {
        using var g = TestGraph.Enter();
        byte[][] content = ["One\na\nb\n"u8.ToArray(), "Two\nC\nD"u8.ToArray(), "Three x, y, z"u8.ToArray()];
        var files = content.Select((c, i) =>
        {
            var path = Path.Combine(_dir, $"whole_file.{i}.txt");
            File.WriteAllBytes(path, c);
            return path;
        }).ToArray();
        var reader = tf.WholeFileReader(name: "test_reader");
        using var sess = tf.Session();
        var (key, value) = reader.read(FilenameQueue(sess, files));
        for (var i = 0; i < 3; i++)
        {
            var (k, v) = sess.run((key, value));
            Assert.Equal(files[i], Text(k));
            Assert.Equal(content[i], v.StringBytes());
        }
        Assert.Throws<OutOfRangeError>(() => sess.run(key));
    }

    [Fact]
    public void FixedLengthRecordReaderSkipsHeaderAndFooter()
    {
        using var g = TestGraph.Enter();
        const int header = 5, record = 3, footer = 2, numRecords = 7;
        static byte[] Record(int f, int r) => Encoding.ASCII.GetBytes(new string((char)('0' + (f * 2 + r) % 10), record));
        var files = Enumerable.Range(0, 2).Select(i =>
        {
            var path = Path.Combine(_dir, $"fixed_length_record.{i}.txt");
            using var f = File.Create(path);
            f.Write(Encoding.ASCII.GetBytes(new string('H', header)));
            for (var j = 0; j < numRecords; j++) f.Write(Record(i, j));
            f.Write(Encoding.ASCII.GetBytes(new string('F', footer)));
            return path;
        }).ToArray();
        var reader = tf.FixedLengthRecordReader(header_bytes: header, record_bytes: record, footer_bytes: footer, name: "test_reader");
        using var sess = tf.Session();
        var (key, value) = reader.read(FilenameQueue(sess, files));
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < numRecords; j++)
            {
                var (k, v) = sess.run((key, value));
                Assert.Equal($"{files[i]}:{j}", Text(k));
                Assert.Equal(Record(i, j), v.StringBytes());
            }
        Assert.Throws<OutOfRangeError>(() => sess.run(key));
    }

    [Fact]
    public void FixedLengthRecordReaderHopsOverlappingRecords()
    {
        using var g = TestGraph.Enter();
        var path = Path.Combine(_dir, "hop.bin");
        File.WriteAllBytes(path, "HH0123456789F"u8.ToArray());
        var reader = tf.FixedLengthRecordReader(record_bytes: 4, header_bytes: 2, footer_bytes: 1, hop_bytes: 2);
        using var sess = tf.Session();
        var (_, value) = reader.read(FilenameQueue(sess, [path]));
        foreach (var expected in new[] { "0123", "2345", "4567", "6789" })
            Assert.Equal(expected, Text(sess.run(value)));
        Assert.Throws<OutOfRangeError>(() => sess.run(value));
    }

    private string[] CreateTFRecordFiles(int numFiles = 2, int numRecords = 7)
    {
        var files = new string[numFiles];
        for (var i = 0; i < numFiles; i++)
        {
            files[i] = Path.Combine(_dir, $"tf_record.{i}.txt");
            using var f = File.Create(files[i]);
            for (var j = 0; j < numRecords; j++) TFRecord.Write(f, Encoding.UTF8.GetBytes($"Record {j} of file {i}"));
        }
        return files;
    }

    [Fact]
    public void TFRecordReaderKeysRecordsByTheirOffsets()
    {
        using var g = TestGraph.Enter();
        var files = CreateTFRecordFiles();
        var reader = tf.TFRecordReader(name: "test_reader");
        Assert.Equal("TFRecordReaderV2", reader.reader_ref.op.type);
        using var sess = tf.Session();
        var (key, value) = reader.read(FilenameQueue(sess, files));
        for (var i = 0; i < 2; i++)
        {
            long offset = 0;
            for (var j = 0; j < 7; j++)
            {
                var (k, v) = sess.run((key, value));
                Assert.Equal($"{files[i]}:{offset}", Text(k));
                Assert.Equal($"Record {j} of file {i}", Text(v));
                offset += 16 + v.StringBytes().Length;
            }
        }
        Assert.Throws<OutOfRangeError>(() => sess.run(key));
    }

    [Fact]
    public void TFRecordReaderReadsGzipFiles()
    {
        using var g = TestGraph.Enter();
        var plain = CreateTFRecordFiles(numFiles: 1)[0];
        var zipped = plain + ".gz";
        using (var source = File.OpenRead(plain))
        using (var target = new System.IO.Compression.GZipStream(File.Create(zipped), System.IO.Compression.CompressionLevel.Fastest))
            source.CopyTo(target);
        var reader = tf.TFRecordReader(compression_type: "GZIP");
        using var sess = tf.Session();
        var (_, value) = reader.read(FilenameQueue(sess, [zipped]));
        for (var j = 0; j < 7; j++) Assert.Equal($"Record {j} of file 0", Text(sess.run(value)));
        Assert.Throws<ValueError>(() => tf.TFRecordReader(compression_type: "LZMA"));
    }

    [Fact]
    public void ACorruptTFRecordFileIsDataLossNamingTheFile()
    {
        using var g = TestGraph.Enter();
        var path = CreateTFRecordFiles(numFiles: 1)[0];
        var bytes = File.ReadAllBytes(path);
        bytes[20] ^= 0xFF; // inside the first record's data
        File.WriteAllBytes(path, bytes);
        var reader = tf.TFRecordReader();
        using var sess = tf.Session();
        var (key, _) = reader.read(FilenameQueue(sess, [path]));
        var e = Assert.Throws<DataLossError>(() => sess.run(key));
        Assert.Contains(path, e.RawMessage);
        Assert.Equal("ReaderReadV2", e.NodeName);
    }

    [Fact]
    public void AMissingFileIsNotFoundNamingTheFile()
    {
        using var g = TestGraph.Enter();
        var missing = Path.Combine(_dir, "no_such_file.txt");
        var reader = tf.WholeFileReader();
        using var sess = tf.Session();
        var (key, _) = reader.read(FilenameQueue(sess, [missing]));
        var e = Assert.Throws<NotFoundError>(() => sess.run(key));
        Assert.Equal($"{missing}; No such file or directory", e.RawMessage);
        Assert.Equal("ReaderReadV2", e.NodeName);
    }

    [Fact]
    public void AQueueOfNumbersIsNotAFilenameQueue()
    {
        using var g = TestGraph.Enter();
        var reader = tf.TextLineReader();
        var queue = tf.FIFOQueue(10, tf.int32);
        var (key, _) = reader.read(queue);
        using var sess = tf.Session();
        sess.run(queue.enqueue(3));
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(key));
        Assert.Equal("Expected queue with single string component", e.RawMessage);
        Assert.Equal("ReaderReadV2", e.NodeName);
    }

    [Fact]
    public void BadReaderAttributesAreBuildErrors()
    {
        using var g = TestGraph.Enter();
        Assert.Contains("TextLineReaderV2", Assert.Throws<ValueError>(() => tf.TextLineReader(skip_header_lines: -1)).Message);
        Assert.Contains("record_bytes", Assert.Throws<ValueError>(() => tf.FixedLengthRecordReader(0)).Message);
    }

    [Fact]
    public void ClosingTheSessionWakesAReaderWaitingForFileNames()
    {
        using var g = TestGraph.Enter();
        var reader = tf.TextLineReader();
        var queue = tf.FIFOQueue(10, tf.@string);
        var (key, _) = reader.read(queue);
        var sess = tf.Session();
        var t = Threads.Start(() => sess.run(key));
        Threads.AssertStaysBlocked(t);
        sess.close();
        Assert.IsType<CancelledError>(t.Join());
    }

    [Fact]
    public void StringInputProducerFeedsAReaderForSomeEpochs()
    {
        using var g = TestGraph.Enter();
        var files = CreateTextFiles();
        var filenameQueue = tf.train.string_input_producer(files, num_epochs: 2, shuffle: false);
        var reader = tf.TextLineReader();
        var (_, line) = reader.read(filenameQueue);
        var batch = tf.train.batch([line], batch_size: 4)[0];
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        var coord = tf.train.Coordinator();
        var threads = tf.train.start_queue_runners(sess, coord);
        var lines = new List<string>();
        try
        {
            while (!coord.should_stop())
            {
                var b = sess.run(batch);
                for (var i = 0; i < b.size; i++) lines.Add(Text(b, i));
            }
        }
        catch (OutOfRangeError)
        {
        }
        finally
        {
            coord.request_stop();
        }
        coord.join(threads);
        // 2 epochs of 2 files of 5 lines: 20 lines, 5 batches of 4.
        var oneEpoch = Enumerable.Range(0, 2).SelectMany(i => Enumerable.Range(0, 5).Select(j => $"{i}: {j}")).ToList();
        Assert.Equal(oneEpoch.Concat(oneEpoch), lines);
    }
}
