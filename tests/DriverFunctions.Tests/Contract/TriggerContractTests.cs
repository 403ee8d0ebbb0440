using System.Text.Json.Nodes;
using DriverMirror;

namespace DriverFunctions.Tests.Contract;

/// <summary>The timer and queue triggers as the generated <c>functions.metadata</c> declares them to the host.</summary>
public sealed class TriggerContractTests
{
    private static JsonObject TriggerOf(string function)
    {
        var entry = FunctionsMetadata.Load().Single(f => f!["name"]!.GetValue<string>() == function)!;
        return Assert.Single(entry["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!.AsObject();
    }

    [Fact]
    public void Only_the_mirror_timer_and_queue_are_not_http_triggered()
    {
        var others = FunctionsMetadata.Load()
            .Where(f => f!["bindings"]!.AsArray().All(b => b!["type"]!.GetValue<string>() != "httpTrigger"))
            .Select(f => f!["name"]!.GetValue<string>())
            .Order(StringComparer.Ordinal);

        Assert.Equal(["MirrorQueue", "MirrorTimer"], others);
    }

    [Fact]
    public void Timer_runs_on_the_mirror_schedule_setting_and_not_at_start_up()
    {
        var timer = TriggerOf("MirrorTimer");

        Assert.Equal("timerTrigger", timer["type"]!.GetValue<string>());
        Assert.Equal($"%{MirrorOptions.SectionName}:{nameof(MirrorOptions.Schedule)}%", timer["schedule"]!.GetValue<string>());
        Assert.False(timer["runOnStartup"]!.GetValue<bool>());
    }

    [Fact]
    public void Queue_function_reads_the_mirror_queue_setting_over_the_storage_connection()
    {
        var queue = TriggerOf("MirrorQueue");

        Assert.Equal("queueTrigger", queue["type"]!.GetValue<string>());
        Assert.Equal($"%{MirrorOptions.SectionName}:{nameof(MirrorOptions.QueueName)}%", queue["queueName"]!.GetValue<string>());
        Assert.Equal("AzureWebJobsStorage", queue["connection"]!.GetValue<string>());
    }
}
