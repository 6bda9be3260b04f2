using System.CommandLine;
using SharpFlow.Cli.Commands;

var root = new RootCommand("sharpflow: TensorFlow 1.x's programming model in pure C#. Train, evaluate and inspect convolutional networks.")
{
    TrainCommand.Create(),
    RecordsCommand.Create(),
    EvaluateCommand.Create(),
    ExportCommand.Create(),
    InspectCommand.Create(),
    TransferCommand.Create(),
    InfoCommand.Create(),
    EventsCommand.Create(),
    PlotCommand.Create(),
    GraphCommand.Create(),
    BenchCommand.Create(),
    BoardCommand.Create(),
};
return root.Parse(args).Invoke();
