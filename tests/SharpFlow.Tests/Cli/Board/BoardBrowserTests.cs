using System.Diagnostics;
using Microsoft.Playwright;
using SharpFlow.Cli.Board;

namespace SharpFlow.Tests.Cli.Board;

/// <summary>
/// The board's page in a real browser (Debian's chromium driven by Playwright): a known run's smoothed loss curve is
/// an SVG path, the histogram's steps are drawn, and expanding the <c>layer1</c> scope of the graph shows its MatMul
/// node whose attributes and run metadata appear on a click. The screenshot of the scalars lands in the test output
/// (board.png) and, with SHARPFLOW_UPDATE_SCREENSHOT=1, in docs/board.png.
/// </summary>
public sealed class BoardBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-board-browser-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task ThePageDrawsTheCurvesTheHistogramAndTheGraph()
    {
        Chromium.SkipUnlessAvailable();
        var clock = Stopwatch.StartNew();
        BoardLogs.Write(Path.Combine(_dir, "logs"));
        using var server = BoardServer.Start(Path.Combine(_dir, "logs"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(server.Url);

        // Scalars: both runs' curves for "loss", run_a's with one point per step.
        var curve = page.Locator("svg.chart[data-tag='loss'] path.line[data-run='run_a']");
        await curve.WaitForAsync();
        var d = await curve.GetAttributeAsync("d");
        Assert.StartsWith("M", d);
        Assert.Equal(BoardLogs.Steps - 1, d!.Count(c => c == 'L'));
        Assert.Equal(1, await page.Locator("svg.chart[data-tag='loss'] path.line[data-run='run_b']").CountAsync());
        Assert.Contains("run_b", await page.Locator(".scalar-card[data-tag='loss'] .legend").InnerTextAsync());
        // Hiding a run removes its curve.
        await page.Locator("#runs input[data-run='run_b']").UncheckAsync();
        await page.Locator("svg.chart[data-tag='loss'] path.line[data-run='run_b']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await page.Locator("#runs input[data-run='run_b']").CheckAsync();
        await page.Locator("svg.chart[data-tag='loss'] path.line[data-run='run_b']").WaitForAsync();
        var screenshot = Path.Combine(AppContext.BaseDirectory, "board.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        if (Environment.GetEnvironmentVariable("SHARPFLOW_UPDATE_SCREENSHOT") == "1")
            File.Copy(screenshot, Path.Combine(Examples.ExampleRunner.RepositoryRoot, "docs", "board.png"), overwrite: true);

        // Histograms: one polyline per written step.
        await page.ClickAsync("#tabs button[data-tab='histograms']");
        var lines = page.Locator("svg.histogram[data-tag='layer1/weights'] path.hist-line");
        await lines.First.WaitForAsync();
        Assert.Equal(10, await lines.CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "board-histograms.png") });

        // Graph: layer1 is a collapsed scope; expanding it shows the MatMul, whose details name its op and inputs.
        await page.ClickAsync("#tabs button[data-tab='graph']");
        var scope = page.Locator("svg.graph g.scope[data-scope='layer1']");
        await scope.WaitForAsync();
        Assert.Equal(0, await page.Locator("svg.graph g.op[data-name='layer1/MatMul']").CountAsync());
        await scope.ClickAsync();
        var matmul = page.Locator("svg.graph g.op[data-name='layer1/MatMul']");
        await matmul.WaitForAsync();
        Assert.Equal("MatMul", await matmul.GetAttributeAsync("data-op"));
        await matmul.ClickAsync();
        await page.Locator(".graph-info table.run-metadata").WaitForAsync();
        var info = await page.Locator(".graph-info").InnerTextAsync();
        Assert.Contains("layer1/w", info);
        Assert.Contains("transpose_a", info);
        Assert.Contains("compute time", info);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "board-graph.png") });

        // Images: the latest step, a slider back to the first.
        await page.ClickAsync("#tabs button[data-tab='images']");
        var slider = page.Locator(".image-card[data-tag='pictures'] input[type=range]");
        await slider.WaitForAsync();
        Assert.Contains("step 20", await page.Locator(".image-card[data-tag='pictures'] .sub").InnerTextAsync());
        await slider.EvaluateAsync("s => { s.value = 0; s.dispatchEvent(new Event('input')); }");
        Assert.Contains("step 0", await page.Locator(".image-card[data-tag='pictures'] .sub").InnerTextAsync());
        Assert.True(await page.Locator(".image-card[data-tag='pictures'] img").EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 16"));

        Assert.Empty(errors);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"the browser test took {clock.Elapsed}");
    }
}
