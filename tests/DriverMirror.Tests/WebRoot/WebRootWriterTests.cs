using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DriverMirror.WebRoot;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace DriverMirror.Tests.WebRoot;

/// <summary>The web-root files written to a real Azurite container, under concurrent writers.</summary>
public sealed class WebRootWriterTests
{
    private const string Amd64 = "linux-amd64";
    private const string Arm64 = "linux-arm64";
    private const string NodeDrivers = "rancher/nodedrivers.yaml";
    private const string ArmNodeDrivers = "rancher/nodedrivers-linux-arm64.yaml";

    [Fact]
    public async Task Concurrent_rewrites_interleaved_with_status_updates_lose_no_driver_in_any_web_root_file()
    {
        await using var f = await WebRootFixture.StartAsync();
        const int Versions = 4;
        var names = Enumerable.Range(0, 8).Select(i => $"driver{i}").ToList();
        foreach (var name in names)
        {
            await f.AddDriverAsync(name);
        }

        // Eight hosts, each with its own writer; writes that take a random while make slow writers holding older listings
        // overlap faster ones.
        var hosts = Enumerable.Range(0, 8).Select(_ => ActivatorUtilities.CreateInstance<WebRootWriter>(f.Env.Services)).ToList();
        f.Blobs.MaxWriteDelay = TimeSpan.FromMilliseconds(20);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var syncs = names.Select((name, i) => Task.Run(async () =>
        {
            await go.Task;
            if (i % 2 == 0)
            {
                await f.PublishAsync(name, Arm64, Sha(name, "arm"));
            }

            // Each commit starts a rewrite without waiting for the previous one: rewrites that listed older state are still
            // writing while later commits are rewritten.
            var rewrites = new List<Task>();
            for (var version = 1; version <= Versions; version++)
            {
                await f.PublishAsync(name, Amd64, Sha(name, $"v{version}"));
                rewrites.Add(hosts[i % hosts.Count].RewriteAsync());
            }

            await Task.WhenAll(rewrites);
        })).ToList();
        go.SetResult();
        await Task.WhenAll(syncs);

        // The hosts did race: some writes lost to another host's and were rebuilt.
        Assert.Contains(f.Blobs.Writes, w => w.Status is 409 or 412);
        using var index = JsonDocument.Parse(await f.ReadAsync(WebRootWriter.IndexJson));
        var drivers = index.RootElement.GetProperty("drivers").EnumerateArray().ToList();
        Assert.Equal(names, drivers.Select(d => d.GetProperty("name").GetString()));
        foreach (var (driver, i) in drivers.Select((d, i) => (d, i)))
        {
            var artifacts = driver.GetProperty("artifacts").EnumerateArray().ToDictionary(a => a.GetProperty("arch").GetString()!, a => a.GetProperty("sha256").GetString());
            Assert.Equal(Sha(names[i], $"v{Versions}"), artifacts[Amd64]);
            Assert.Equal(i % 2 == 0 ? Sha(names[i], "arm") : null, artifacts.GetValueOrDefault(Arm64));
        }

        var html = await f.ReadAsync(WebRootWriter.IndexHtml);
        foreach (var name in names)
        {
            Assert.Contains(Sha(name, $"v{Versions}"), html, StringComparison.Ordinal);
            Assert.DoesNotContain(Sha(name, $"v{Versions - 1}"), html, StringComparison.Ordinal);
        }

        var amdManifest = await f.ReadAsync(NodeDrivers);
        Assert.Equal(names.ToDictionary(n => n, n => Sha(n, $"v{Versions}")), Checksums(amdManifest));
        Assert.DoesNotContain("Not mirrored", amdManifest, StringComparison.Ordinal);

        var armManifest = await f.ReadAsync(ArmNodeDrivers);
        Assert.Equal(names.Where((_, i) => i % 2 == 0).ToDictionary(n => n, n => Sha(n, "arm")), Checksums(armManifest));
        Assert.Contains("# Not mirrored yet (left out): " + string.Join(", ", names.Where((_, i) => i % 2 == 1)), armManifest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WebRootWriter.IndexJson, true)]
    [InlineData(WebRootWriter.IndexHtml, true)]
    [InlineData(NodeDrivers, true)]
    [InlineData(WebRootWriter.IndexJson, false)]
    [InlineData(WebRootWriter.IndexHtml, false)]
    [InlineData(NodeDrivers, false)]
    public async Task A_file_written_by_someone_else_between_the_read_and_the_write_is_rebuilt_from_the_newer_catalog(string path, bool existedBefore)
    {
        await using var f = await WebRootFixture.StartAsync();
        await f.AddDriverAsync("hetzner");
        await f.PublishAsync("hetzner", Amd64, Sha("hetzner", "old"));
        if (existedBefore)
        {
            await f.Writer.RewriteAsync();
        }

        // After the writer has read the file's ETag and listed the catalog, another sync commits a newer artifact and
        // a writer with a stale view gets its file in first.
        f.Blobs.BeforeFirstWriteOf(path, async () =>
        {
            await f.PublishAsync("hetzner", Amd64, Sha("hetzner", "new"));
            await f.OtherWriter.GetBlobClient(path).UploadAsync(BinaryData.FromString("written by another writer"), overwrite: true);
        });
        await f.Writer.RewriteAsync();

        var content = await f.ReadAsync(path);
        Assert.Contains(Sha("hetzner", "new"), content, StringComparison.Ordinal);
        Assert.DoesNotContain("written by another writer", content, StringComparison.Ordinal);
        Assert.Contains(f.Blobs.Writes, w => w.Blob == path && w.Status is 409 or 412);
        Assert.Equal(201, f.Blobs.Writes.Last(w => w.Blob == path).Status);
    }

    [Fact]
    public async Task Concurrent_rewrites_in_one_process_share_rewrites_instead_of_racing_each_other()
    {
        await using var f = await WebRootFixture.StartAsync();
        await f.AddDriverAsync("hetzner");
        await f.PublishAsync("hetzner", Amd64, Sha("hetzner", "v1"));

        var rewrites = Enumerable.Range(0, 16).Select(_ => f.Writer.RewriteAsync()).ToList();
        var indexes = await Task.WhenAll(rewrites);

        // The first call runs at once; the other fifteen asked while it ran, so one more rewrite, listed after all of them, serves them.
        Assert.Equal(2, f.Blobs.Writes.Count(w => w.Blob == WebRootWriter.IndexJson));
        Assert.DoesNotContain(f.Blobs.Writes, w => w.Status is 409 or 412);
        Assert.All(indexes, i => Assert.Equal(Sha("hetzner", "v1"), Assert.Single(Assert.Single(i.Drivers).Artifacts).Sha256));
        Assert.Contains(Sha("hetzner", "v1"), await f.ReadAsync(NodeDrivers), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_web_root_files_publish_upstream_urls_without_their_query_strings()
    {
        await using var f = await WebRootFixture.StartAsync();
        const string Signed = "https://upstream.example/releases/docker-machine-driver-hetzner.tar.gz?se=2030-01-01&sig=s3cr3t";
        await f.AddDriverAsync("hetzner", Signed);
        await f.PublishAsync("hetzner", Amd64, Sha("hetzner", "amd"));
        await f.PublishAsync("hetzner", Arm64, Sha("hetzner", "arm"));

        await f.Writer.RewriteAsync();

        using var index = JsonDocument.Parse(await f.ReadAsync(WebRootWriter.IndexJson));
        var hetzner = index.RootElement.GetProperty("drivers")[0];
        Assert.Equal("https://upstream.example/releases/docker-machine-driver-hetzner.tar.gz", hetzner.GetProperty("upstreamUrl").GetString());
        Assert.All(hetzner.GetProperty("artifacts").EnumerateArray(), a =>
            Assert.Equal("https://upstream.example/releases/docker-machine-driver-hetzner.tar.gz", a.GetProperty("upstreamUrl").GetString()));
        foreach (var path in new[] { WebRootWriter.IndexJson, WebRootWriter.IndexHtml, NodeDrivers, ArmNodeDrivers, "rancher/kontainerdrivers.yaml", "rancher/kontainerdrivers-linux-arm64.yaml" })
        {
            var content = await f.ReadAsync(path);
            Assert.DoesNotContain("s3cr3t", content, StringComparison.Ordinal);
            Assert.DoesNotContain("se=2030", content, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_cancelled_rewrite_stops_and_writes_nothing()
    {
        await using var f = await WebRootFixture.StartAsync();
        await f.AddDriverAsync("hetzner");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.Writer.RewriteAsync(cancelled.Token));

        Assert.Empty(f.Blobs.Writes);
        Assert.False(await f.OtherWriter.GetBlobClient(WebRootWriter.IndexJson).ExistsAsync());
    }

    private static string Sha(string name, string version) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{name}/{version}")));

    /// <summary>Driver name to <c>spec.checksum</c> of every object in a manifest.</summary>
    private static Dictionary<string, string> Checksums(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToDictionary(
            o => ((YamlMappingNode)o["metadata"])["name"].ToString(),
            o => ((YamlMappingNode)o["spec"])["checksum"].ToString());
    }
}
