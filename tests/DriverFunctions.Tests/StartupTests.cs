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
}
