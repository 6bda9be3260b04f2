using System.CommandLine;
using System.Globalization;
using System.Text;
using ScottPlot;
using SharpFlow.Summaries;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow plot LOGDIR -o curves.png</c>: the scalar curves of a log directory's event files, one panel per
/// tag, for people without TensorBoard at hand. A <c>.png</c> is drawn with ScottPlot; a <c>.svg</c> by this
/// file's own few lines of SVG (no native library involved).
/// </summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("logdir") { Description = "a directory of events.out.tfevents.* files" };
        var output = new Option<string>("--output", "-o") { Description = "the picture to write: .png (ScottPlot) or .svg", DefaultValueFactory = _ => "curves.png" };
        var command = new Command("plot", "Draw the scalar curves of TensorBoard event files as a PNG or SVG picture.") { dir, output };
        command.SetAction(result => TrainCommand.Run(() => Plot(result.GetValue(dir)!, result.GetValue(output)!)));
        return command;
    }

    private static void Plot(string logdir, string output)
    {
        var png = output.EndsWith(".png", StringComparison.OrdinalIgnoreCase);
        if (!png && !output.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{output}: sharpflow plot writes .png or .svg pictures");
        var files = EventsCommand.EventFiles(logdir);
        var series = new SortedDictionary<string, List<(long Step, double Value)>>(StringComparer.Ordinal);
        foreach (var file in files)
            foreach (var e in FileWriter.Read(file, truncatedTailIsEnd: true))
                foreach (var v in e.summary?.value ?? [])
                    if (v.simple_value is { } s)
                    {
                        if (!series.TryGetValue(v.tag, out var points)) series[v.tag] = points = [];
                        points.Add((e.step, s));
                    }
        if (series.Count == 0) throw new NotFoundError($"{logdir}: the event files hold no scalar summaries");
        if (png) Png(series, output);
        else File.WriteAllText(output, Svg(series));
        Console.WriteLine($"{output}: {series.Count} curves ({string.Join(", ", series.Keys)})");
    }

    private static void Png(SortedDictionary<string, List<(long Step, double Value)>> series, string output)
    {
        const int Columns = 2;
        var rows = (series.Count + Columns - 1) / Columns;
        var multiplot = new Multiplot();
        multiplot.AddPlots(series.Count); // makes the multiplot hold this many subplots
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, Columns);
        var index = 0;
        foreach (var (tag, unsorted) in series)
        {
            var points = unsorted.OrderBy(p => p.Step).ToList();
            var plot = multiplot.GetPlot(index++);
            var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Value).ToArray());
            line.MarkerSize = points.Count > 40 ? 0 : 4;
            plot.Title(tag);
            plot.XLabel("step");
        }
        multiplot.SavePng(output, 420 * Columns, 280 * rows);
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Label(double v) => Math.Abs(v) >= 1e4 || (Math.Abs(v) < 1e-3 && v != 0)
        ? v.ToString("0.##e0", CultureInfo.InvariantCulture)
        : v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Svg(SortedDictionary<string, List<(long Step, double Value)>> series)
    {
        const int Width = 420, Height = 260, Columns = 2, Left = 60, Right = 15, Top = 30, Bottom = 35;
        var rows = (series.Count + Columns - 1) / Columns;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width * Columns}\" height=\"{Height * rows}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        var index = 0;
        foreach (var (tag, unsorted) in series)
        {
            var points = unsorted.OrderBy(p => p.Step).ToList();
            var (x0, y0) = (index % Columns * Width, index / Columns * Height);
            index++;
            var (minStep, maxStep) = (points.Min(p => p.Step), points.Max(p => p.Step));
            var (minValue, maxValue) = (points.Min(p => p.Value), points.Max(p => p.Value));
            if (maxStep == minStep) maxStep = minStep + 1;
            if (maxValue == minValue) (minValue, maxValue) = (minValue - 0.5, maxValue + 0.5);
            double X(long step) => x0 + Left + (step - minStep) / (double)(maxStep - minStep) * (Width - Left - Right);
            double Y(double value) => y0 + Top + (maxValue - value) / (maxValue - minValue) * (Height - Top - Bottom);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + Width / 2}\" y=\"{y0 + 18}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">{System.Security.SecurityElement.Escape(tag)}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0 + Left}\" y=\"{y0 + Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#888\"/>\n");
            for (var t = 0; t <= 4; t++)
            {
                var value = minValue + (maxValue - minValue) * t / 4;
                var y = Y(value);
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x0 + Left)}\" x2=\"{F(x0 + Width - Right)}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#e4e4e4\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + Left - 4}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Label(value)}</text>\n");
                var step = minStep + (maxStep - minStep) * t / 4;
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(step))}\" y=\"{y0 + Height - Bottom + 15}\" text-anchor=\"middle\">{step}</text>\n");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + Width / 2}\" y=\"{y0 + Height - 5}\" text-anchor=\"middle\" fill=\"#555\">step</text>\n");
            svg.Append("<polyline fill=\"none\" stroke=\"#e8710a\" stroke-width=\"1.5\" points=\"");
            foreach (var (step, value) in points) svg.Append(CultureInfo.InvariantCulture, $"{F(X(step))},{F(Y(value))} ");
            svg.Append("\"/>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
