using DriverMirror.Storage;
using DriverMirror.Testing;

namespace DriverMirror.Cli.Tests;

public sealed class ConfigurationTests : CliTestBase
{
    [Theory]
    [InlineData("Mirror:Schedule", "0 */6 * * *")]
    [InlineData("Mirror:Schedule", "0 0 24 * * *")]
    [InlineData("Mirror:PublicBaseUrl", "drivers/")]
    [InlineData("Mirror:ConnectTimeout", "00:00:00")]
    [InlineData("Mirror:DownloadTimeout", "-00:20:00")]
    [InlineData("Mirror:ConnectTimeout", "thirty seconds")]
    public async Task An_invalid_mirror_setting_exits_2_with_one_line_naming_it_and_touches_nothing(string key, string value)
    {
        var settings = Env.Settings.Where(s => s.Key != StorageClients.DefaultSettingName).ToDictionary(s => s.Key, s => s.Value);
        settings[key] = value;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await CliApplication.RunAsync(
            ["drivers", "add", "hetzner", "--url", "https://example.invalid/docker-machine-driver-hetzner.tar.gz", "--storage", AzuriteServer.Shared.ConnectionString],
            stdout,
            stderr,
            settings);
        var run = new CliRun(exitCode, stdout.ToString(), stderr.ToString());

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: configuration: ", run.SingleErrorLine, StringComparison.Ordinal);
        Assert.Contains(key, run.SingleErrorLine, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
        Assert.Null(await Catalog.FindAsync("hetzner"));
    }
}
