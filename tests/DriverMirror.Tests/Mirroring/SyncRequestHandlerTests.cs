using System.Diagnostics;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DriverMirror.Catalog;
using DriverMirror.Mirroring;
using DriverMirror.Testing;

namespace DriverMirror.Tests.Mirroring;

/// <summary>The queue's retry rules around one sync request, against Azurite's real queues and a loopback upstream.</summary>
public sealed class SyncRequestHandlerTests
{
    private const string ReleasePath = "/releases/v1/docker-machine-driver-test_1.0.0_linux_amd64.tar.gz";

    [Fact]
    public async Task Retry_after_longer_than_the_queue_delay_defers_the_request_until_then()
    {
        await using var f = await UpstreamAnsweringAsync(429, retryAfter: "3");
        var queue = f.Env.Get<SyncRequestQueue>();
        var rules = new QueueRetryRules { MaxDequeueCount = 5, VisibilityTimeout = TimeSpan.FromSeconds(1) };
        var clock = Stopwatch.StartNew();

        var outcome = Assert.Single(await f.Env.Get<SyncRequestHandler>().HandleAsync(Request("test"), dequeueCount: 2, rules));

        Assert.Equal(TimeSpan.FromSeconds(3), outcome.RetryAfter);
        Assert.Empty((await queue.Queue.PeekMessagesAsync()).Value);
        var deferred = await ReceiveWithinAsync(queue.Queue, TimeSpan.FromSeconds(15));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"the deferred request came back after {clock.Elapsed}");
        var request = SyncRequest.Parse(deferred.MessageText);
        Assert.Equal("test", request.Name);
        Assert.Equal(2, request.EarlierDeliveries);
        Assert.Equal(1, f.Upstream.RequestCount(ReleasePath));
        Assert.StartsWith("Will retry", (await f.Catalog.GetAsync("test")).Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_after_within_the_queue_delay_leaves_the_retry_to_the_queue()
    {
        await using var f = await UpstreamAnsweringAsync(429, retryAfter: "3");
        var queue = f.Env.Get<SyncRequestQueue>();

        var error = await Assert.ThrowsAsync<MirrorException>(() =>
            f.Env.Get<SyncRequestHandler>().HandleAsync(Request("test"), dequeueCount: 1, new QueueRetryRules { VisibilityTimeout = TimeSpan.FromSeconds(30) }));

        Assert.True(error.IsTransient);
        Assert.Equal(0, (await queue.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task A_deferred_request_on_its_last_attempt_goes_to_the_poison_queue_and_the_record_says_so()
    {
        await using var f = await UpstreamAnsweringAsync(429, retryAfter: "600");
        var queue = f.Env.Get<SyncRequestQueue>();
        var message = new SyncRequest("test", 1, "timer", DateTimeOffset.UnixEpoch, EarlierDeliveries: 4).ToMessage();

        var outcome = Assert.Single(await f.Env.Get<SyncRequestHandler>().HandleAsync(message, dequeueCount: 1, new QueueRetryRules { MaxDequeueCount = 5 }));

        Assert.Equal(SyncResult.Failed, outcome.Result);
        var poisoned = Assert.Single((await queue.PoisonQueue.PeekMessagesAsync(maxMessages: 10)).Value);
        Assert.Equal("test", SyncRequest.Parse(poisoned.MessageText).Name);
        Assert.Equal(0, (await queue.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var record = await f.Catalog.GetAsync("test");
        Assert.Equal(DriverState.Failed, record.Status.State);
        Assert.StartsWith($"Gave up after 5 attempts; the request is in queue '{queue.PoisonQueue.Name}'", record.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permanent_failure_is_neither_retried_nor_deferred()
    {
        await using var f = await UpstreamAnsweringAsync(404, retryAfter: null);
        var queue = f.Env.Get<SyncRequestQueue>();

        var outcome = Assert.Single(await f.Env.Get<SyncRequestHandler>().HandleAsync(Request("test"), dequeueCount: 1, new QueueRetryRules()));

        Assert.Equal(SyncResult.Failed, outcome.Result);
        Assert.False(outcome.IsTransient);
        Assert.Equal(0, (await queue.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task A_request_for_a_driver_another_sync_holds_completes_without_a_retry_or_a_failure()
    {
        await using var f = await UpstreamAnsweringAsync(500, retryAfter: null);
        await f.Mirror.SyncAsync("test");
        var before = await f.Catalog.GetAsync("test");
        var queue = f.Env.Get<SyncRequestQueue>();
        await using var held = await f.Env.Get<SyncLock>().TryAcquireAsync("test", CancellationToken.None);
        Assert.NotNull(held);

        var outcome = Assert.Single(await f.Env.Get<SyncRequestHandler>().HandleAsync(Request("test"), dequeueCount: 5, new QueueRetryRules { MaxDequeueCount = 5 }));

        Assert.Equal(SyncResult.Busy, outcome.Result);
        Assert.Equal(1, f.Upstream.RequestCount(ReleasePath));
        Assert.Empty((await queue.PoisonQueue.PeekMessagesAsync(maxMessages: 10)).Value);
        var after = await f.Catalog.GetAsync("test");
        Assert.Equal(before.ETag, after.ETag);
        Assert.DoesNotContain("Gave up", after.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_for_drivers_sharing_a_url_downloads_it_once_and_retries_only_the_one_that_failed()
    {
        await using var f = await MirrorFixture.StartAsync();
        var archive = ArchiveBuilder.DriverTarGz();
        f.Upstream.Serve(ReleasePath, archive);
        await f.AddDriverAsync("first", ReleasePath);
        await f.AddDriverAsync("second", ReleasePath);
        await f.AddDriverAsync("third", "/missing-for-now/docker-machine-driver-third.tar.gz");
        f.Upstream.Respond("/missing-for-now/docker-machine-driver-third.tar.gz", 503, retryAfter: "2");
        var queue = f.Env.Get<SyncRequestQueue>();
        await queue.Queue.CreateIfNotExistsAsync();
        var message = new SyncRequest("first", 1, "timer", DateTimeOffset.UnixEpoch, With: ["second", "third"]).ToMessage();

        var outcomes = await f.Env.Get<SyncRequestHandler>().HandleAsync(message, dequeueCount: 1, new QueueRetryRules { VisibilityTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(
            [("first", SyncResult.Published), ("second", SyncResult.Published), ("third", SyncResult.Failed)],
            outcomes.Select(o => (o.Name, o.Result)));
        Assert.Equal(1, f.Upstream.DownloadCount(ReleasePath));
        var sha256 = MirrorFixture.Sha256(archive);
        Assert.Equal(sha256, (await f.Catalog.GetAsync("second")).Status.Artifacts["linux-amd64"].Sha256);
        Assert.Single(await f.BlobsUnderAsync("second/"));
        var deferred = SyncRequest.Parse((await ReceiveWithinAsync(queue.Queue, TimeSpan.FromSeconds(15))).MessageText);
        Assert.Equal(["third"], deferred.Names());
        Assert.Equal(1, deferred.EarlierDeliveries);
    }

    [Fact]
    public async Task A_spec_edit_during_a_queued_sync_is_synced_again_for_the_new_spec()
    {
        await using var f = await MirrorFixture.StartAsync();
        var archive = ArchiveBuilder.DriverTarGz();
        f.Upstream.Serve(ReleasePath, UpstreamRoute.Bytes(archive) with { HeaderDelay = TimeSpan.FromMilliseconds(600) });
        await f.AddDriverAsync("test", ReleasePath);

        var handling = f.Env.Get<SyncRequestHandler>().HandleAsync(Request("test"), dequeueCount: 1, new QueueRetryRules());
        await Task.Delay(250);
        await f.Catalog.PatchAsync("test", new System.Text.Json.Nodes.JsonObject { ["displayName"] = "edited while syncing" });
        var outcome = Assert.Single(await handling);

        Assert.Equal(SyncResult.Published, outcome.Result);
        var record = await f.Catalog.GetAsync("test");
        Assert.Equal(2, record.Status.ObservedGeneration);
        Assert.Equal(DriverState.Ready, record.Status.State);
        Assert.Equal(MirrorFixture.Sha256(archive), record.Status.Artifacts["linux-amd64"].Sha256);
    }

    /// <summary>A mirror with driver "test" whose upstream answers <paramref name="status"/>, and its queues created.</summary>
    private static async Task<MirrorFixture> UpstreamAnsweringAsync(int status, string? retryAfter)
    {
        var f = await MirrorFixture.StartAsync();
        f.Upstream.Respond(ReleasePath, status, retryAfter);
        await f.AddDriverAsync("test", ReleasePath);
        var queue = f.Env.Get<SyncRequestQueue>();
        await queue.Queue.CreateIfNotExistsAsync();
        await queue.PoisonQueue.CreateIfNotExistsAsync();
        return f;
    }

    private static string Request(string name) => new SyncRequest(name, 1, "timer", DateTimeOffset.UnixEpoch).ToMessage();

    private static async Task<QueueMessage> ReceiveWithinAsync(QueueClient queue, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if ((await queue.ReceiveMessageAsync()).Value is { } message)
            {
                return message;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No message became visible within {limit}.");
    }
}
