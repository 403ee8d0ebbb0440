using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DriverMirror.Catalog;
using DriverMirror.Storage;
using DriverMirror.Testing;
using DriverMirror.WebRoot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DriverMirror.Tests.WebRoot;

/// <summary>
/// The production service graph over its own Azurite table and public container, whose blob client runs every request
/// through <see cref="Blobs"/> so a test can slow writes down or act between a writer's read and its write.
/// </summary>
internal sealed class WebRootFixture : IAsyncDisposable
{
    private WebRootFixture(TestEnvironment env, BlobInterceptor blobs, BlobContainerClient otherWriter)
    {
        Env = env;
        Blobs = blobs;
        OtherWriter = otherWriter;
    }

    public TestEnvironment Env { get; }

    public BlobInterceptor Blobs { get; }

    public DriverCatalog Catalog => Env.Get<DriverCatalog>();

    public WebRootWriter Writer => Env.Get<WebRootWriter>();

    /// <summary>The web root through a client that bypasses <see cref="Blobs"/>: "someone else".</summary>
    public BlobContainerClient OtherWriter { get; }

    /// <summary>A client with no credentials: what Rancher and browsers are.</summary>
    public static HttpClient Anonymous { get; } = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });

    public static async Task<WebRootFixture> StartAsync()
    {
        var connection = AzuriteServer.Shared.ConnectionString;
        var interceptor = new BlobInterceptor();
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(interceptor, HttpPipelinePosition.PerCall);
        var storage = new StorageClients(
            new TableServiceClient(connection),
            new BlobServiceClient(connection, blobOptions),
            new QueueServiceClient(connection, StorageClients.QueueOptions));
        var env = TestEnvironment.Create(services: s => s.Replace(ServiceDescriptor.Singleton(storage)));
        var fixture = new WebRootFixture(env, interceptor, new BlobServiceClient(connection).GetBlobContainerClient(env.Options.ContainerName));
        await fixture.OtherWriter.CreateIfNotExistsAsync(Azure.Storage.Blobs.Models.PublicAccessType.Blob);
        return fixture;
    }

    /// <summary>What an anonymous reader gets at <paramref name="path"/> in the web root.</summary>
    public Task<string> ReadAsync(string path) => Anonymous.GetStringAsync($"{OtherWriter.Uri}/{path}");

    /// <summary>Creates an active, not yet mirrored driver.</summary>
    public Task<DriverRecord> AddDriverAsync(string name, string? url = null) =>
        Catalog.CreateAsync(new DriverSpec { Name = name, Active = true, Url = url ?? $"https://upstream.example/docker-machine-driver-{name}.tar.gz" });

    /// <summary>Records a published artifact for <paramref name="platform"/>, as a finished sync does.</summary>
    public async Task PublishAsync(string name, string platform, string sha256)
    {
        var record = await Catalog.GetAsync(name);
        var updated = await Catalog.UpdateStatusAsync(name, record.Generation, s => s with
        {
            State = DriverState.Ready,
            Artifacts = new Dictionary<string, MirroredArtifact>(s.Artifacts) { [platform] = TestRecords.Artifact(name, platform, sha256, record.Spec.Url!) },
        });
        Assert.NotNull(updated);
    }

    public ValueTask DisposeAsync() => Env.DisposeAsync();
}

/// <summary>
/// A blob pipeline policy: optionally delays every write by a random amount (slow, overlapping writers), and runs a
/// one-shot action just before the first write of a chosen blob, after the writer has read and built what it writes.
/// </summary>
internal sealed class BlobInterceptor : HttpPipelinePolicy
{
    private readonly Lock gate = new();
    private readonly List<(string Blob, int Status)> writes = [];
    private (string Blob, Func<Task> Action)? beforeFirstWrite;

    /// <summary>The longest random delay before a blob write; zero for none. One write in four stalls up to ten times longer.</summary>
    public TimeSpan MaxWriteDelay { get; set; }

    /// <summary>Every blob write seen (blob path in the container, response status), in order.</summary>
    public IReadOnlyList<(string Blob, int Status)> Writes
    {
        get
        {
            lock (gate)
            {
                return writes.ToList();
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> once, just before the first write of <paramref name="blob"/> is sent.</summary>
    public void BeforeFirstWriteOf(string blob, Func<Task> action)
    {
        lock (gate)
        {
            beforeFirstWrite = (blob, action);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The tests use the asynchronous API only.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var blob = BlobOf(message.Request);
        if (blob is null)
        {
            await ProcessNextAsync(message, pipeline);
            return;
        }

        Func<Task>? action = null;
        lock (gate)
        {
            if (beforeFirstWrite is { } pending && pending.Blob == blob)
            {
                action = pending.Action;
                beforeFirstWrite = null;
            }
        }

        if (action is not null)
        {
            await action();
        }

        if (MaxWriteDelay > TimeSpan.Zero)
        {
            var stall = Random.Shared.Next(4) == 0 ? 10 : 1;
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * stall * MaxWriteDelay.TotalMilliseconds), message.CancellationToken);
        }

        await ProcessNextAsync(message, pipeline);
        lock (gate)
        {
            writes.Add((blob, message.Response.Status));
        }
    }

    /// <summary>The blob path (inside the container) a PUT Blob request writes, or null for any other request.</summary>
    private static string? BlobOf(Request request)
    {
        if (request.Method != RequestMethod.Put || request.Uri.Query.Contains("comp=", StringComparison.Ordinal))
        {
            return null;
        }

        // /devstoreaccount1/<container>/<blob path>
        var segments = Uri.UnescapeDataString(request.Uri.Path).TrimStart('/').Split('/', 3);
        return segments.Length == 3 ? segments[2] : null;
    }
}
