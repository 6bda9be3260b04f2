#pragma warning disable CS8981
using SharpFlow.FileIO;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>TensorFlow 1.x's <c>tf.python_io</c>: TFRecord files.</summary>
        public static partial class python_io
        {
            /// <summary><c>tf.python_io.TFRecordWriter(path, options)</c>.</summary>
            public static SharpFlow.FileIO.TFRecordWriter TFRecordWriter(string path, SharpFlow.FileIO.TFRecordOptions? options = null) => new(path, options);

            /// <summary><c>tf.python_io.TFRecordOptions(compression_type)</c>.</summary>
            public static SharpFlow.FileIO.TFRecordOptions TFRecordOptions(SharpFlow.FileIO.TFRecordCompressionType compression_type = SharpFlow.FileIO.TFRecordCompressionType.NONE, int compression_level = -1) =>
                new(compression_type, compression_level);

            /// <summary><c>tf.python_io.TFRecordOptions("GZIP")</c>: the compression by name.</summary>
            public static SharpFlow.FileIO.TFRecordOptions TFRecordOptions(string compression_type, int compression_level = -1) => new(compression_type, compression_level);

            /// <summary>
            /// <c>tf.python_io.tf_record_iterator(path, options)</c>: the records of a file, read lazily; a truncated or
            /// corrupted record is a <see cref="DataLossError"/> naming the file and offset.
            /// </summary>
            public static IEnumerable<byte[]> tf_record_iterator(string path, SharpFlow.FileIO.TFRecordOptions? options = null) =>
                SharpFlow.FileIO.TFRecord.Read(path, SharpFlow.FileIO.TFRecordOptions.get_compression_type_string(options));
        }

        /// <summary>TensorFlow 1.x's <c>tf.gfile</c>: files and directories with TensorFlow's errors.</summary>
        public static partial class gfile
        {
            /// <summary><c>tf.gfile.GFile(name, mode)</c>.</summary>
            public static SharpFlow.FileIO.GFile GFile(string name, string mode = "r") => new(name, mode);
            /// <summary><c>tf.gfile.FastGFile(name, mode)</c> (the same file object).</summary>
            public static SharpFlow.FileIO.GFile FastGFile(string name, string mode = "r") => new(name, mode);
            /// <summary><c>tf.gfile.Open(name, mode)</c>.</summary>
            public static SharpFlow.FileIO.GFile Open(string name, string mode = "r") => new(name, mode);
            /// <summary>True when the path exists.</summary>
            public static bool Exists(string filename) => FileSystem.Exists(filename);
            /// <summary>The paths matching a glob pattern, sorted.</summary>
            public static string[] Glob(string filename) => FileSystem.Glob(filename);
            /// <summary>Creates a directory and its parents.</summary>
            public static void MakeDirs(string dirname) => FileSystem.MakeDirs(dirname);
            /// <summary>Creates one directory.</summary>
            public static void MkDir(string dirname) => FileSystem.MkDir(dirname);
            /// <summary>The entry names of a directory.</summary>
            public static string[] ListDirectory(string dirname) => FileSystem.ListDirectory(dirname);
            /// <summary>Deletes a file.</summary>
            public static void Remove(string filename) => FileSystem.Remove(filename);
            /// <summary>Deletes a directory tree.</summary>
            public static void DeleteRecursively(string dirname) => FileSystem.DeleteRecursively(dirname);
            /// <summary>Renames a file or directory.</summary>
            public static void Rename(string oldname, string newname, bool overwrite = false) => FileSystem.Rename(oldname, newname, overwrite);
            /// <summary>Copies a file.</summary>
            public static void Copy(string oldpath, string newpath, bool overwrite = false) => FileSystem.Copy(oldpath, newpath, overwrite);
            /// <summary>True when the path is a directory.</summary>
            public static bool IsDirectory(string dirname) => FileSystem.IsDirectory(dirname);
        }
    }
}
