namespace SharpFlow.Tests.Cli.Board;

/// <summary>
/// Debian's chromium for the board's browser test (Playwright drives it; no browser is ever downloaded). Without it
/// the test is skipped with the install command, unless <see cref="RequireVariable"/> is <c>1</c> (CI installs it),
/// where its absence fails the test.
/// </summary>
public static class Chromium
{
    /// <summary>The environment variable that turns a missing chromium from a skip into a failure.</summary>
    public const string RequireVariable = "SHARPFLOW_REQUIRE_BROWSER";

    /// <summary>Where Debian installs chromium.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Skips the calling <c>[SkippableFact]</c> when chromium is missing; fails it under <see cref="RequireVariable"/>=1.</summary>
    public static void SkipUnlessAvailable()
    {
        if (File.Exists(ExecutablePath)) return;
        var missing = $"chromium is not installed ({ExecutablePath}): apt-get install chromium";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
            Assert.Fail($"{missing} ({RequireVariable}=1: the browser test is required here)");
        Skip.If(true, missing);
    }
}
