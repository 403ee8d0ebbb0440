using System.Text.Json.Nodes;
using Azure.Storage.Queues.Models;
using DriverFunctions.Http;
using DriverFunctions.Mirroring;
using DriverMirror.Catalog;
using DriverMirror.Mirroring;
using DriverMirror.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DriverFunctions.Tests.Mirroring;

/// <summary>The timer, the queue function and the sync endpoints, with real queue messages in Azurite and a loopback upstream.</summary>
public sealed class MirrorFunctionsTests : IAsyncLifetime
{
    private const string ReleasePath = "/v1/docker-machine-driver-test_linux-amd64.tar.gz";
    private readonly FunctionsApp app = FunctionsApp.Create();
    private LoopbackUpstream upstream = null!;

    private SyncRequestQueue Queue => app.Services.GetRequiredService<SyncRequestQueue>();

    public async Task InitializeAsync() => upstream = await LoopbackUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        await upstream.DisposeAsync();
        await app.DisposeAsync();
    }

    private Task<DriverRecord> AddDriverAsync(string name, string path, bool active = true) =>
        app.Catalog.CreateAsync(new DriverSpec { Name = name, Active = active, Url = upstream.UrlFor(path).AbsoluteUri });

    /// <summary>Receives the next message as the Functions host would hand it over (DequeueCount counts deliveries).</summary>
    private async Task<QueueMessage> ReceiveAsync()
    {
        var message = (await Queue.Queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30))).Value;
        Assert.NotNull(message);
        return message;
    }

    private async Task<Exception?> RunQueueFunctionAsync(QueueMessage message)
    {
        var function = ActivatorUtilities.CreateInstance<MirrorQueue>(app.Services);
        return await Record.ExceptionAsync(() => function.Run(message, CancellationToken.None));
    }

    [Fact]
    public async Task Timer_queues_one_request_per_active_driver_with_something_to_mirror()
    {
        await AddDriverAsync("hetzner", ReleasePath);
        await AddDriverAsync("vultr", ReleasePath, active: false);
        await app.Catalog.CreateAsync(new DriverSpec { Name = "amazonec2", Builtin = true, Active = true, Url = "local://" });
        var timer = ActivatorUtilities.CreateInstance<MirrorTimer>(app.Services);

        await timer.Run(new TimerInfo(), CancellationToken.None);

        var messages = (await Queue.Queue.ReceiveMessagesAsync(10)).Value;
        var request = SyncRequest.Parse(Assert.Single(messages).MessageText);
        Assert.Equal(("hetzner", "timer", 1L), (request.Name, request.Reason, request.Generation));
    }

    [Fact]
    public async Task Timer_queues_drivers_sharing_an_upstream_url_together_and_the_queue_function_downloads_it_once()
    {
        const string bundlePath = "/machine-package/v0.13.0/docker-machine.tar.gz";
        var bundle = ArchiveBuilder.TarGz(TestArchiveEntry.File("docker-machine", ArchiveBuilder.ElfPayload(96 * 1024)));
        upstream.Serve(bundlePath, bundle);
        upstream.Serve(ReleasePath, ArchiveBuilder.DriverTarGz());
        foreach (var name in new[] { "amazonec2", "azure", "digitalocean" })
        {
            await app.Catalog.CreateAsync(new DriverSpec { Name = name, Builtin = true, Active = true, Url = upstream.UrlFor(bundlePath).AbsoluteUri });
        }

        await AddDriverAsync("hetzner", ReleasePath);
        var timer = ActivatorUtilities.CreateInstance<MirrorTimer>(app.Services);

        await timer.Run(new TimerInfo(), CancellationToken.None);
        var messages = (await Queue.Queue.ReceiveMessagesAsync(10, TimeSpan.FromSeconds(30))).Value;
        var requests = messages.Select(m => SyncRequest.Parse(m.MessageText)).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        foreach (var message in messages)
        {
            Assert.Null(await RunQueueFunctionAsync(message));
        }

        Assert.Equal([["amazonec2", "azure", "digitalocean"], ["hetzner"]], requests.Select(r => r.Names().ToArray()));
        Assert.Equal(1, upstream.DownloadCount(bundlePath));
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bundle));
        foreach (var name in new[] { "amazonec2", "azure", "digitalocean" })
        {
            var record = await app.Catalog.GetAsync(name);
            Assert.Equal(DriverState.Ready, record.Status.State);
            Assert.Equal(sha256, record.Status.Artifacts["linux-amd64"].Sha256);
            Assert.Equal(bundle, await new HttpClient().GetByteArrayAsync(record.Status.Artifacts["linux-amd64"].PublicUrl));
        }
    }

    [Fact]
    public async Task Queue_function_publishes_the_driver_and_rewrites_the_index()
    {
        upstream.Serve(ReleasePath, ArchiveBuilder.DriverTarGz());
        await AddDriverAsync("hetzner", ReleasePath);
        await Queue.EnqueueAsync("hetzner", "test");

        var error = await RunQueueFunctionAsync(await ReceiveAsync());

        Assert.Null(error);
        var record = await app.Catalog.GetAsync("hetzner");
        Assert.Equal(DriverState.Ready, record.Status.State);
        var index = JsonNode.Parse(await new HttpClient().GetStringAsync(record.Status.Artifacts["linux-amd64"].PublicUrl.Split("/hetzner/")[0] + "/index.json"))!;
        Assert.Equal("ready", (string?)index["drivers"]![0]!["state"]);
    }

    [Fact]
    public async Task Queue_function_mirrors_the_ui_component_and_the_api_shows_where_it_is()
    {
        var script = System.Text.Encoding.UTF8.GetBytes("define('nodes/components/driver-hetzner/component', [], function () {});\n");
        upstream.Serve(ReleasePath, ArchiveBuilder.DriverTarGz());
        upstream.Serve("/ui/component.js", script, contentType: "application/javascript");
        await app.Catalog.CreateAsync(new DriverSpec { Name = "hetzner", Active = true, Url = upstream.UrlFor(ReleasePath).AbsoluteUri, UiUrl = upstream.UrlFor("/ui/component.js").AbsoluteUri });
        await Queue.EnqueueAsync("hetzner", "test");

        var error = await RunQueueFunctionAsync(await ReceiveAsync());

        Assert.Null(error);
        var response = await app.CallAsync<DriversFunctions>(FunctionsApp.Request("GET", "/api/drivers/hetzner"), (f, r) => f.Get(r, "hetzner"));
        Assert.Equal(200, response.Status);
        var ui = response.Json["status"]!["ui"]!;
        Assert.Equal(upstream.UrlFor("/ui/component.js").AbsoluteUri, (string?)ui["upstreamUrl"]);
        Assert.Equal(script, await new HttpClient().GetByteArrayAsync((string)ui["publicUrl"]!));
        Assert.Null(ui["stylesheetUrl"]);
    }

    [Fact]
    public async Task Queue_function_records_a_permanent_failure_without_asking_for_a_retry()
    {
        upstream.Respond(ReleasePath, 404);
        await AddDriverAsync("hetzner", ReleasePath);
        await Queue.EnqueueAsync("hetzner", "test");

        var error = await RunQueueFunctionAsync(await ReceiveAsync());

        Assert.Null(error);
        var record = await app.Catalog.GetAsync("hetzner");
        Assert.Equal(DriverState.Failed, record.Status.State);
        Assert.Contains("404", record.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_function_throws_on_a_transient_failure_so_the_host_retries()
    {
        upstream.Respond(ReleasePath, 503, retryAfter: "5");
        await AddDriverAsync("hetzner", ReleasePath);
        await Queue.EnqueueAsync("hetzner", "test");

        var error = await RunQueueFunctionAsync(await ReceiveAsync());

        var mirror = Assert.IsType<MirrorException>(error);
        Assert.True(mirror.IsTransient);
        var record = await app.Catalog.GetAsync("hetzner");
        Assert.Equal(DriverState.Failed, record.Status.State);
        Assert.StartsWith("Will retry", record.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_function_defers_the_request_when_upstream_asks_to_wait_longer_than_the_queue_would()
    {
        upstream.Respond(ReleasePath, 429, retryAfter: "120");
        await AddDriverAsync("hetzner", ReleasePath);
        await Queue.EnqueueAsync("hetzner", "test");
        var message = await ReceiveAsync();

        var error = await RunQueueFunctionAsync(message);

        // Completed (the host deletes it), and a new request waits invisibly for the two minutes upstream asked for.
        Assert.Null(error);
        await Queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        Assert.Equal(1, (await Queue.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty((await Queue.Queue.PeekMessagesAsync()).Value);
        Assert.Equal(1, upstream.RequestCount(ReleasePath));
    }

    [Fact]
    public async Task Last_delivery_of_a_transient_failure_says_the_request_went_to_the_poison_queue()
    {
        upstream.Respond(ReleasePath, 500);
        await AddDriverAsync("hetzner", ReleasePath);
        await Queue.EnqueueAsync("hetzner", "test");
        var maxDequeueCount = app.Services.GetRequiredService<IOptions<QueueRetryRules>>().Value.MaxDequeueCount;

        QueueMessage message;
        Exception? error;
        do
        {
            message = await ReceiveAsync();
            error = await RunQueueFunctionAsync(message);
            await Queue.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }
        while (message.DequeueCount < maxDequeueCount);

        Assert.IsType<MirrorException>(error);
        var record = await app.Catalog.GetAsync("hetzner");
        Assert.Contains($"Gave up after {maxDequeueCount} attempts", record.Status.Message, StringComparison.Ordinal);
        Assert.Contains(Queue.PoisonQueue.Name, record.Status.Message, StringComparison.Ordinal);
        Assert.Equal(maxDequeueCount, upstream.RequestCount(ReleasePath));
    }

    [Fact]
    public async Task Queue_function_drops_a_malformed_message_without_retrying()
    {
        await Queue.Queue.CreateIfNotExistsAsync();
        await Queue.Queue.SendMessageAsync("{\"name\":\"../etc\"}");

        var error = await RunQueueFunctionAsync(await ReceiveAsync());

        Assert.Null(error);
        Assert.Equal(0, upstream.TotalRequests);
    }

    [Fact]
    public void Queue_retry_settings_come_from_host_json_and_messages_are_base64_on_both_sides()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))!;
        var queues = hostJson["extensions"]!["queues"]!;

        var rules = app.Services.GetRequiredService<IOptions<QueueRetryRules>>().Value;
        Assert.Equal((int)queues["maxDequeueCount"]!, rules.MaxDequeueCount);
        Assert.Equal(TimeSpan.Parse((string)queues["visibilityTimeout"]!, System.Globalization.CultureInfo.InvariantCulture), rules.VisibilityTimeout);
        Assert.Equal("base64", (string?)queues["messageEncoding"]);
        Assert.Equal(Azure.Storage.Queues.QueueMessageEncoding.Base64, DriverMirror.Storage.StorageClients.QueueOptions.MessageEncoding);
    }

    [Fact]
    public async Task Sync_endpoint_queues_the_driver_and_answers_202_with_the_record_location()
    {
        await AddDriverAsync("hetzner", ReleasePath);

        var response = await app.CallAsync<SyncFunctions>(FunctionsApp.Request("POST", "/api/drivers/hetzner/sync"), (f, r) => f.SyncDriver(r, "hetzner"));

        Assert.Equal(202, response.Status);
        Assert.Equal("/api/drivers/hetzner", response.Header("Location"));
        Assert.Equal("hetzner", (string?)response.Json["queued"]![0]!["name"]);
        var queued = SyncRequest.Parse((await ReceiveAsync()).MessageText);
        Assert.Equal(("hetzner", "api"), (queued.Name, queued.Reason));
    }

    [Fact]
    public async Task Sync_endpoint_for_a_missing_driver_is_404_and_queues_nothing()
    {
        var response = await app.CallAsync<SyncFunctions>(FunctionsApp.Request("POST", "/api/drivers/nope/sync"), (f, r) => f.SyncDriver(r, "nope"));

        ProblemAssert.IsProblem(response, 404, "/api/drivers/nope/sync");
        await Queue.Queue.CreateIfNotExistsAsync();
        Assert.Empty((await Queue.Queue.ReceiveMessagesAsync(10)).Value);
    }

    [Fact]
    public async Task Sync_all_endpoint_queues_every_active_driver()
    {
        await AddDriverAsync("hetzner", ReleasePath);
        await AddDriverAsync("linode", "/linode.zip");
        await AddDriverAsync("vultr", ReleasePath, active: false);

        var response = await app.CallAsync<SyncFunctions>(FunctionsApp.Request("POST", "/api/sync"), (f, r) => f.SyncAll(r));

        Assert.Equal(202, response.Status);
        Assert.Equal(["hetzner", "linode"], response.Json["queued"]!.AsArray().Select(q => (string?)q!["name"]).Order());
        Assert.Equal(2, (await Queue.Queue.ReceiveMessagesAsync(10)).Value.Length);
    }

    [Fact]
    public async Task Rancher_node_drivers_are_yaml_by_default_and_a_kubernetes_list_for_json_clients()
    {
        var archive = ArchiveBuilder.DriverTarGz();
        upstream.Serve(ReleasePath, archive);
        await AddDriverAsync("hetzner", ReleasePath);
        await app.Services.GetRequiredService<MirrorService>().SyncAsync("hetzner");
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(archive));

        var yaml = await app.CallAsync<RancherManifestFunctions>(FunctionsApp.Request("GET", "/api/rancher/nodedrivers"), (f, r) => f.NodeDrivers(r));
        var json = await app.CallAsync<RancherManifestFunctions>(
            FunctionsApp.Request("GET", "/api/rancher/nodedrivers", headers: ("Accept", "application/json")), (f, r) => f.NodeDrivers(r));
        var badPlatform = await app.CallAsync<RancherManifestFunctions>(FunctionsApp.Request("GET", "/api/rancher/nodedrivers?platform=amiga"), (f, r) => f.NodeDrivers(r));

        Assert.Equal(200, yaml.Status);
        Assert.StartsWith("application/yaml", yaml.ContentType, StringComparison.Ordinal);
        Assert.Contains("kind: NodeDriver", yaml.Body, StringComparison.Ordinal);
        Assert.Contains($"checksum: {sha256}", yaml.Body, StringComparison.Ordinal);
        Assert.True(json.Json["items"] is JsonArray { Count: 1 }, json.Body);
        var item = json.Json["items"]![0]!;
        Assert.Equal(("List", "hetzner", sha256), ((string?)json.Json["kind"], (string?)item["metadata"]!["name"], (string?)item["spec"]!["checksum"]));
        ProblemAssert.IsValidationProblem(badPlatform, "/api/rancher/nodedrivers", "platform");
    }
}
