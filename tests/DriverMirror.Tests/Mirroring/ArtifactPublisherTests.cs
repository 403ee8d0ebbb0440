using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DriverMirror.Catalog;
using DriverMirror.Mirroring;
using DriverMirror.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DriverMirror.Tests.Mirroring;

public sealed class ArtifactPublisherTests : IAsyncLifetime
{
    private const string TarGzName = "docker-machine-driver-test_1.0.0_linux_amd64.tar.gz";
    private static readonly HttpClient Anonymous = new();
    private readonly TestEnvironment env = TestEnvironment.Create(services: s => s.AddSingleton<ArchiveInspector>().AddSingleton<ArtifactPublisher>());

    private ArtifactPublisher Publisher => env.Get<ArtifactPublisher>();

    private BlobContainerClient Container => env.Storage.Blobs.GetBlobContainerClient(env.Options.ContainerName);

    private BlobContainerClient Staging => env.Storage.Blobs.GetBlobContainerClient(Publisher.StagingContainer);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await env.DisposeAsync();

    private static PublishRequest Request(string fileName = TarGzName, PinnedChecksum? expected = null, string driver = "test") =>
        new(driver, fileName, expected, new ArchiveRules());

    private Task<PublishedArtifact> PublishAsync(byte[] content, PublishRequest request) =>
        Publisher.PublishAsync(request, NonSeekableStream.Over(content, maxChunk: 16 * 1024));

    private async Task<List<string>> AllBlobsAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        if (!await container.ExistsAsync())
        {
            return names;
        }

        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.Uncommitted }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private async Task AssertNothingPublishedOrStagedAsync()
    {
        Assert.Empty(await AllBlobsAsync(Container));
        Assert.Empty(await AllBlobsAsync(Staging));
    }

    public static TheoryData<string, string, string> Formats => new()
    {
        { "tar.gz", TarGzName, "application/gzip" },
        { "zip", "docker-machine-driver-test_1.0.0_linux_amd64.zip", "application/zip" },
        { "elf", "docker-machine-driver-test", "application/octet-stream" },
    };

    private static byte[] ArchiveOf(string format) => format switch
    {
        "tar.gz" => ArchiveBuilder.DriverTarGz(size: 9 * 1024 * 1024 + 123),
        "zip" => ArchiveBuilder.DriverZip(size: 5 * 1024 * 1024),
        _ => ArchiveBuilder.ElfPayload(4 * 1024 * 1024 + 17),
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Publishes_the_exact_bytes_with_honest_headers_for_anonymous_download(string format, string fileName, string contentType)
    {
        var content = ArchiveOf(format);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));

        var published = await PublishAsync(content, Request(fileName));

        Assert.False(published.AlreadyPublished);
        Assert.Equal($"test/{sha256}/{fileName}", published.BlobPath);
        Assert.Equal(sha256, published.Sha256);
        Assert.Equal(content.Length, published.Size);
        Assert.Equal(format, published.Format);
        Assert.Equal(new Uri($"{Container.Uri}/test/{sha256}/{fileName}"), published.PublicUrl);

        using var response = await Anonymous.GetAsync(published.PublicUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal(MD5.HashData(content), response.Content.Headers.ContentMD5);
        var downloaded = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(downloaded)));
        Assert.Equal(content, downloaded);
        Assert.Empty(await AllBlobsAsync(Staging));
    }

    [Fact]
    public async Task The_container_serves_blobs_anonymously_but_refuses_anonymous_listing_and_staging_reads()
    {
        await PublishAsync(ArchiveBuilder.DriverTarGz(), Request());

        using var listing = await Anonymous.GetAsync($"{Container.Uri}?restype=container&comp=list");
        using var stagingListing = await Anonymous.GetAsync($"{Staging.Uri}?restype=container&comp=list");
        var access = (await Container.GetAccessPolicyAsync()).Value.BlobPublicAccess;
        var stagingAccess = (await Staging.GetAccessPolicyAsync()).Value.BlobPublicAccess;

        Assert.Equal(HttpStatusCode.Forbidden, listing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, stagingListing.StatusCode);
        Assert.Equal(PublicAccessType.Blob, access);
        Assert.Equal(PublicAccessType.None, stagingAccess);
    }

    [Theory]
    [InlineData("html")]
    [InlineData("no-driver")]
    [InlineData("traversal")]
    [InlineData("truncated")]
    public async Task Refused_content_leaves_no_blob_anywhere(string kind)
    {
        byte[] content = kind switch
        {
            "html" => Encoding.UTF8.GetBytes("<!doctype html><title>Just a moment...</title>" + new string(' ', 6 * 1024 * 1024)),
            "no-driver" => ArchiveBuilder.NoDriverTarGz(),
            "traversal" => ArchiveBuilder.TraversalTarGz(),
            _ => ArchiveBuilder.DriverTarGz(size: 10 * 1024 * 1024)[..(6 * 1024 * 1024)],
        };

        var refusal = await Assert.ThrowsAsync<MirrorException>(() => PublishAsync(content, Request()));

        Assert.False(refusal.IsTransient);
        await AssertNothingPublishedOrStagedAsync();
    }

    public static TheoryData<string> Algorithms => new() { "MD5", "SHA1", "SHA256", "SHA512" };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task A_wrong_pinned_checksum_is_refused_and_the_right_one_publishes(string algorithm)
    {
        var content = ArchiveBuilder.DriverTarGz(size: 6 * 1024 * 1024);
        var name = new HashAlgorithmName(algorithm);
        var right = Convert.ToHexStringLower(Hash(name, content));
        var wrong = Convert.ToHexStringLower(Hash(name, [.. content, 0]));

        var refusal = await Assert.ThrowsAsync<MirrorException>(() => PublishAsync(content, Request(expected: PinnedChecksum.TryParse(wrong))));
        await AssertNothingPublishedOrStagedAsync();
        var published = await PublishAsync(content, Request(expected: PinnedChecksum.TryParse(right.ToUpperInvariant())));

        Assert.False(refusal.IsTransient);
        Assert.Equal($"checksum mismatch: expected {algorithm.ToLowerInvariant()} {wrong}, received {right}", refusal.Message);
        Assert.False(published.AlreadyPublished);
        Assert.Equal([published.BlobPath], await AllBlobsAsync(Container));
    }

    [Fact]
    public async Task Publishing_the_same_content_twice_commits_once()
    {
        var content = ArchiveBuilder.DriverZip();

        var first = await PublishAsync(content, Request("driver.zip"));
        var properties = (await Container.GetBlobClient(first.BlobPath).GetPropertiesAsync()).Value;
        var second = await PublishAsync(content, Request("driver.zip"));

        Assert.False(first.AlreadyPublished);
        Assert.True(second.AlreadyPublished);
        Assert.Equal(first with { AlreadyPublished = true }, second);
        Assert.Equal([first.BlobPath], await AllBlobsAsync(Container));
        Assert.Equal(properties.ETag, (await Container.GetBlobClient(first.BlobPath).GetPropertiesAsync()).Value.ETag);
        Assert.Empty(await AllBlobsAsync(Staging));
    }

    [Fact]
    public async Task Copy_publishes_the_same_bytes_under_another_driver_without_downloading_again()
    {
        var content = ArchiveBuilder.DriverTarGz(size: 5 * 1024 * 1024);
        var source = await PublishAsync(content, Request(driver: "bundle"));

        var copy = await Publisher.CopyAsync(source, "amazonec2");
        var again = await Publisher.CopyAsync(source, "amazonec2");

        Assert.Equal($"amazonec2/{source.Sha256}/{TarGzName}", copy.BlobPath);
        Assert.False(copy.AlreadyPublished);
        Assert.True(again.AlreadyPublished);
        Assert.Equal(source.Sha256, copy.Sha256);
        Assert.Equal(source.DriverBinary, copy.DriverBinary);
        using var response = await Anonymous.GetAsync(copy.PublicUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal(MD5.HashData(content), response.Content.Headers.ContentMD5);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal([copy.BlobPath, source.BlobPath], (await AllBlobsAsync(Container)).Order());
    }

    [Fact]
    public async Task A_broken_body_propagates_unchanged_and_leaves_nothing_behind()
    {
        var content = ArchiveBuilder.DriverTarGz(size: 12 * 1024 * 1024);
        var reset = new IOException("Connection reset by peer");

        var thrown = await Assert.ThrowsAsync<IOException>(
            () => Publisher.PublishAsync(Request(), new FailingStream(content, 9 * 1024 * 1024, reset)));

        Assert.Same(reset, thrown);
        await AssertNothingPublishedOrStagedAsync();
    }

    [Fact]
    public async Task A_transient_upstream_failure_propagates_unchanged()
    {
        var content = ArchiveBuilder.DriverTarGz(size: 2 * 1024 * 1024);
        var transient = MirrorException.Transient("upstream timed out");

        var thrown = await Assert.ThrowsAsync<MirrorException>(
            () => Publisher.PublishAsync(Request(), new FailingStream(content, 100_000, transient)));

        Assert.Same(transient, thrown);
        await AssertNothingPublishedOrStagedAsync();
    }

    [Fact]
    public async Task A_storage_failure_is_reported_as_transient_and_publishes_nothing()
    {
        await Publisher.EnsureContainerAsync();
        await Staging.DeleteAsync();

        var failure = await Assert.ThrowsAsync<MirrorException>(() => PublishAsync(ArchiveBuilder.DriverTarGz(size: 6 * 1024 * 1024), Request()));

        Assert.True(failure.IsTransient);
        Assert.IsType<Azure.RequestFailedException>(failure.InnerException);
        Assert.Contains("404", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await AllBlobsAsync(Container));
    }

    [Fact]
    public async Task Cancelling_a_publish_stops_it_and_leaves_nothing_behind()
    {
        using var cancel = new CancellationTokenSource();
        var content = ArchiveBuilder.DriverTarGz(size: 16 * 1024 * 1024);
        var body = new FailingStream(content, 10 * 1024 * 1024, new InvalidOperationException("read past the cancellation point"));
        await Publisher.EnsureContainerAsync();

        var publish = Publisher.PublishAsync(Request(), new CancelAfterStream(body, 5 * 1024 * 1024, cancel), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publish);
        await AssertNothingPublishedOrStagedAsync();
    }

    [Fact]
    public async Task Public_urls_use_the_configured_base_url_and_escape_path_segments()
    {
        await using var cdn = TestEnvironment.Create(
            s => s["Mirror:PublicBaseUrl"] = "https://mirror.example.test/drivers/",
            s => s.AddSingleton<ArchiveInspector>().AddSingleton<ArtifactPublisher>());
        var publisher = cdn.Get<ArtifactPublisher>();

        var viaCdn = publisher.PublicUrlFor("test/abc/docker-machine-driver-test_1.0+1 linux.tar.gz");
        var direct = Publisher.PublicUrlFor("test/abc/docker-machine-driver-test.tar.gz");

        Assert.Equal("https://mirror.example.test/drivers/test/abc/docker-machine-driver-test_1.0%2B1%20linux.tar.gz", viaCdn.AbsoluteUri);
        Assert.Equal($"{Container.Uri.AbsoluteUri}/test/abc/docker-machine-driver-test.tar.gz", direct.AbsoluteUri);
    }

    [Fact]
    public async Task Ensure_container_is_idempotent()
    {
        await Publisher.EnsureContainerAsync();
        await Publisher.EnsureContainerAsync();
        await using var other = TestEnvironment.Create(
            s => s["Mirror:ContainerName"] = env.Options.ContainerName,
            s => s.AddSingleton<ArchiveInspector>().AddSingleton<ArtifactPublisher>());

        await other.Get<ArtifactPublisher>().EnsureContainerAsync();

        Assert.True(await Container.ExistsAsync());
        Assert.True(await Staging.ExistsAsync());
    }

    private static byte[] Hash(HashAlgorithmName name, byte[] content)
    {
        using var hash = IncrementalHash.CreateHash(name);
        hash.AppendData(content);
        return hash.GetHashAndReset();
    }

    /// <summary>Cancels <c>cancel</c> once <c>after</c> bytes were read, then keeps serving: the publisher must notice on its own.</summary>
    private sealed class CancelAfterStream(Stream inner, long after, CancellationTokenSource cancel) : Stream
    {
        private long read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var count = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, 64 * 1024)], CancellationToken.None);
            read += count;
            if (read >= after)
            {
                await cancel.CancelAsync();
            }

            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
