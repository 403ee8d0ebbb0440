using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DriverMirror.Catalog;
using DriverMirror.Mirroring;
using DriverMirror.Testing;

namespace DriverMirror.Bench;

/// <summary>
/// What every scenario runs against, all on 127.0.0.1: the library's production service graph over the shared Azurite
/// (a table and containers of its own), a loopback upstream that serves the archives and counts what it sent, and a plain
/// HTTP client and blob container for the naive copy and the inspect scenario.
/// </summary>
internal sealed class BenchRig : IAsyncDisposable
{
    private readonly TestEnvironment env;

    private BenchRig(TestEnvironment env, LoopbackUpstream upstream, BlobContainerClient copies)
    {
        this.env = env;
        Upstream = upstream;
        Copies = copies;
        WebRoot = env.Storage.Blobs.GetBlobContainerClient(env.Options.ContainerName);
    }

    public LoopbackUpstream Upstream { get; }

    /// <summary>The container the naive copy uploads into (private, beside the web root).</summary>
    public BlobContainerClient Copies { get; }

    /// <summary>The public web-root container the mirror publishes into.</summary>
    public BlobContainerClient WebRoot { get; }

    /// <summary>A client like any downloader's: no decompression, its own connection pool.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None, UseProxy = false });

    public MirrorService Mirror => env.Get<MirrorService>();

    public DriverCatalog Catalog => env.Get<DriverCatalog>();

    /// <summary>The inspector of the service graph: the one the publisher feeds.</summary>
    public ArchiveInspector Inspector => env.Get<ArchiveInspector>();

    /// <summary>Starts the upstream and builds the services (Azurite starts on first use of the shared instance).</summary>
    public static async Task<BenchRig> StartAsync(CancellationToken cancellationToken)
    {
        // TestEnvironment lets 127.0.0.1/32 through the egress guard, so the mirror may fetch from the loopback upstream.
        var env = TestEnvironment.Create();
        var upstream = await LoopbackUpstream.StartAsync(cancellationToken: cancellationToken);
        var copies = env.Storage.Blobs.GetBlobContainerClient($"{env.Options.ContainerName}-copy");
        await copies.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return new BenchRig(env, upstream, copies);
    }

    /// <summary>Serves <paramref name="archive"/> at <paramref name="path"/> with a Content-Length and an ETag (so a revalidation gets 304).</summary>
    public Uri Serve(string path, ArchiveFile archive)
    {
        Upstream.ServeStream(path, archive.Open, archive.Length, etag: $"\"bench-{archive.PayloadMiB}\"", contentType: "application/gzip");
        return Upstream.UrlFor(path);
    }

    /// <summary>Body bytes the upstream has sent for <paramref name="paths"/> since it started.</summary>
    public long BytesServed(IEnumerable<string> paths) => paths.Distinct(StringComparer.Ordinal).Sum(Upstream.BytesServed);

    /// <summary>Runs <paramref name="action"/> and returns the body bytes the upstream sent for <paramref name="paths"/> meanwhile.</summary>
    public async Task<long> BytesServedDuringAsync(IReadOnlyCollection<string> paths, Func<Task> action)
    {
        var before = BytesServed(paths);
        await action();
        return BytesServed(paths) - before;
    }

    /// <summary>Responses with a body the upstream has started for <paramref name="paths"/> since it started.</summary>
    public int DownloadsServed(IEnumerable<string> paths) => paths.Distinct(StringComparer.Ordinal).Sum(Upstream.DownloadCount);

    /// <summary>Adds an active driver whose linux-amd64 archive is at <paramref name="path"/> on the upstream.</summary>
    public Task<DriverRecord> AddDriverAsync(string name, string path, CancellationToken cancellationToken) =>
        Catalog.CreateAsync(new DriverSpec { Name = name, Url = Upstream.UrlFor(path).AbsoluteUri, Active = true }, cancellationToken);

    /// <summary>
    /// Deletes the drivers and what was published for them, so every repetition starts from the same catalog and index size.
    /// (Azurite frees deleted blobs' memory only at its next garbage collection, minutes later.)
    /// </summary>
    public async Task ForgetDriversAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            await Catalog.DeleteAsync(name, cancellationToken: cancellationToken);
            await foreach (var blob in WebRoot.GetBlobsAsync(new GetBlobsOptions { Prefix = name + "/" }, cancellationToken))
            {
                await WebRoot.DeleteBlobIfExistsAsync(blob.Name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Upstream.DisposeAsync();
        await env.DisposeAsync();
    }
}
