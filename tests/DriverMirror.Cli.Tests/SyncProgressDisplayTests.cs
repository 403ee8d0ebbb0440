using DriverMirror.Cli.Output;
using DriverMirror.Mirroring;
using Spectre.Console;

namespace DriverMirror.Cli.Tests;

public sealed class SyncProgressDisplayTests
{
    [Fact]
    public async Task A_row_stops_when_its_platform_is_done_unchanged_or_failed_and_keeps_running_otherwise()
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });

        var stopped = await SyncProgressDisplay.RunAsync(console, progress =>
        {
            var display = Assert.IsType<SyncProgressDisplay>(progress);
            progress.Report(new SyncProgress("hetzner", "linux-amd64", "downloading", 4096, 8192));
            progress.Report(new SyncProgress("hetzner", "linux-amd64", "failed", 0, null));
            progress.Report(new SyncProgress("hetzner", "linux-arm64", "fetching", 0, null));
            progress.Report(new SyncProgress("hetzner", "linux-arm64", "unchanged", 0, null));
            progress.Report(new SyncProgress("linode", "linux-amd64", "downloading", 100, 200));
            progress.Report(new SyncProgress("linode", "linux-amd64", "done", 200, 200));
            progress.Report(new SyncProgress("vultr", "linux-amd64", "downloading", 10, null));
            return Task.FromResult(new Dictionary<string, bool>
            {
                ["failed"] = display.IsStopped("hetzner", "linux-amd64"),
                ["unchanged"] = display.IsStopped("hetzner", "linux-arm64"),
                ["done"] = display.IsStopped("linode", "linux-amd64"),
                ["downloading"] = display.IsStopped("vultr", "linux-amd64"),
            });
        });

        Assert.True(stopped["failed"]);
        Assert.True(stopped["unchanged"]);
        Assert.True(stopped["done"]);
        Assert.False(stopped["downloading"]);
    }
}
