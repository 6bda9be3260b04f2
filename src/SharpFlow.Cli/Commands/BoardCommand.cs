using System.CommandLine;
using System.Runtime.InteropServices;
using SharpFlow.Cli.Board;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow board LOGDIR [--port N] [--host 127.0.0.1]</c>: TensorBoard without Python. A local web page with
/// the scalars, histograms, images, text and graph of the event files below LOGDIR, refreshed while a run is still
/// writing; serves until Ctrl+C (exit code 0).
/// </summary>
internal static class BoardCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("logdir") { Description = "a log directory: every directory below it with events.out.tfevents.* files is a run" };
        var port = new Option<int>("--port") { Description = "the port to listen on (0: a free one)", DefaultValueFactory = _ => 6006 };
        var host = new Option<string>("--host") { Description = "the address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("board", "Serve a web page that shows the event files of a log directory, like TensorBoard.") { dir, port, host };
        command.SetAction(result => TrainCommand.Run(() => Serve(result.GetValue(dir)!, result.GetValue(port), result.GetValue(host)!)));
        return command;
    }

    private static void Serve(string logdir, int port, string host)
    {
        if (port is < 0 or > 65535) throw new ArgumentException($"--port {port}: not a port number (0 to 65535)");
        using var stop = new ManualResetEventSlim();
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        using var server = BoardServer.Start(logdir, port, host);
        Console.WriteLine($"sharpflow board: serving {Path.GetFullPath(logdir)} at {server.Url} (Ctrl+C to stop)");
        stop.Wait();
        Console.WriteLine("sharpflow board: stopped");
    }
}
