using System.Security.Cryptography;
using Azure.Storage.Blobs;
using DriverMirror.Catalog;
using DriverMirror.Mirroring;
using DriverMirror.Testing;

namespace DriverMirror.Tests.Mirroring;

/// <summary>A mirror over its own Azurite table and container, with a loopback upstream the test programs.</summary>
internal sealed class MirrorFixture : IAsyncDisposable
{
    private MirrorFixture(TestEnvironment env, LoopbackUpstream upstream)
    {
        Env = env;
        Upstream = upstream;
    }

    public TestEnvironment Env { get; }

    public LoopbackUpstream Upstream { get; }

    public DriverCatalog Catalog => Env.Get<DriverCatalog>();

    public MirrorService Mirror => Env.Get<MirrorService>();

    public BlobContainerClient WebRoot => Env.Storage.Blobs.GetBlobContainerClient(Env.Options.ContainerName);

    /// <summary>A client with no credentials: what Rancher is.</summary>
    public static HttpClient Anonymous { get; } = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });

    public static async Task<MirrorFixture> StartAsync(Action<Dictionary<string, string?>>? configure = null) =>
        new(TestEnvironment.Create(configure), await LoopbackUpstream.StartAsync());

    public Task<DriverRecord> AddDriverAsync(string name, string path, string? checksum = null, bool builtin = false, bool active = true) =>
        Catalog.CreateAsync(new DriverSpec { Name = name, Url = Upstream.UrlFor(path).AbsoluteUri, Checksum = checksum, Builtin = builtin, Active = active });

    public async Task<List<string>> BlobsUnderAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in WebRoot.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public async ValueTask DisposeAsync()
    {
        await Upstream.DisposeAsync();
        await Env.DisposeAsync();
    }
}
