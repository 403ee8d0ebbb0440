using DriverMirror;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DriverFunctions.Tests;

public sealed class StartupTests
{
    [Theory]
    [InlineData("Mirror:ContainerName", "Not_A_Container")]
    [InlineData("Mirror:TableName", "1table")]
    [InlineData("Mirror:QueueName", "q")]
    [InlineData("Mirror:Schedule", "0 */6 * * *")]
    [InlineData("Mirror:Schedule", "0 0 */6 * * * *")]
    [InlineData("Mirror:Schedule", "0 0 25 * * *")]
    [InlineData("Mirror:Schedule", "0 0 */0 * * *")]
    [InlineData("Mirror:Schedule", "0 0 6-2 * * *")]
    [InlineData("Mirror:Schedule", "0 0 */6 * * everyday")]
    [InlineData("Mirror:Schedule", "0 0 ? * * *")]
    [InlineData("Mirror:Schedule", "00:05:00")]
    [InlineData("Mirror:PublicBaseUrl", "drivers/")]
    [InlineData("Mirror:PublicBaseUrl", "ftp://mirror.example.test/drivers/")]
    [InlineData("Mirror:ConnectTimeout", "00:00:00")]
    [InlineData("Mirror:ConnectTimeout", "-00:00:05")]
    [InlineData("Mirror:DownloadTimeout", "00:00:00")]
    [InlineData("Mirror:DownloadTimeout", "-00:20:00")]
    public async Task Start_up_fails_when_a_mirror_setting_is_invalid(string key, string value)
    {
        var settings = FunctionsApp.UniqueSettings();
        settings[key] = value;
        // The worker's gRPC services want to know where the Functions host is before start-up validation runs; validation
        // must stop the start before anything connects, so a loopback port nobody listens on is enough.
        settings["Functions:Worker:HostEndpoint"] = $"http://127.0.0.1:{Loopback.ClosedPort()}";
        using var host = FunctionsApp.BuildHost(settings);

        var resolve = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<MirrorOptions>>().Value);
        var start = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key.Split(':')[1], resolve.Message, StringComparison.Ordinal);
        Assert.Equal(resolve.Failures, start.Failures);
    }

    [Fact]
    public void Valid_settings_bind_into_the_options_the_functions_use()
    {
        var settings = FunctionsApp.UniqueSettings();
        using var host = FunctionsApp.BuildHost(settings);

        var options = host.Services.GetRequiredService<IOptions<MirrorOptions>>().Value;

        Assert.Equal(settings["Mirror:TableName"], options.TableName);
        Assert.Equal(settings["Mirror:ContainerName"], options.ContainerName);
    }

    [Theory]
    [InlineData("0 0 */6 * * *")]
    [InlineData("0 30 2 * * *")]
    [InlineData("*/10 * * * * *")]
    [InlineData("0 0,30 8-18 * * mon-fri")]
    [InlineData("0 15 3 1 jan,jul SUN")]
    [InlineData("0 0 0 1-31/2 1-12 0-6")]
    public void Valid_ncrontab_schedules_pass_start_up_validation(string schedule)
    {
        var settings = FunctionsApp.UniqueSettings();
        settings["Mirror:Schedule"] = schedule;
        using var host = FunctionsApp.BuildHost(settings);

        Assert.Equal(schedule, host.Services.GetRequiredService<IOptions<MirrorOptions>>().Value.Schedule);
    }

    [Fact]
    public void The_default_timeouts_and_an_absolute_public_base_url_pass_start_up_validation()
    {
        var settings = FunctionsApp.UniqueSettings();
        settings["Mirror:PublicBaseUrl"] = "https://mirror.example.test/drivers/";
        using var host = FunctionsApp.BuildHost(settings);

        var options = host.Services.GetRequiredService<IOptions<MirrorOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(20), options.DownloadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ConnectTimeout);
        Assert.Equal("https://mirror.example.test/drivers/", options.PublicBaseUrl!.AbsoluteUri);
    }
}
