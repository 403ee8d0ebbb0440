using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using DriverMirror.Mirroring;
using DriverMirror.Testing;

namespace DriverMirror.Tests.Mirroring;

public sealed class MirrorServiceTests : IAsyncLifetime
{
    private const string ReleasePath = "/releases/v1/docker-machine-driver-test_1.0.0_linux_amd64.tar.gz";
    private MirrorFixture f = null!;

    public async Task InitializeAsync() => f = await MirrorFixture.StartAsync();

    public async Task DisposeAsync() => await f.DisposeAsync();

    [Fact]
    public async Task Sync_publishes_upstream_bytes_under_the_upstream_file_name_without_content_encoding()
    {
        var archive = ArchiveBuilder.DriverTarGz();
        f.Upstream.Serve(ReleasePath, archive, etag: "\"v1\"", contentType: "application/x-gzip");
        await f.AddDriverAsync("test", ReleasePath);

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Published, outcome.Result);
        var artifact = outcome.Record!.Status.Artifacts["linux-amd64"];
        Assert.Equal(MirrorFixture.Sha256(archive), artifact.Sha256);
        Assert.Equal("docker-machine-driver-test_1.0.0_linux_amd64.tar.gz", artifact.FileName);
        Assert.EndsWith("/test/" + artifact.Sha256 + "/docker-machine-driver-test_1.0.0_linux_amd64.tar.gz", artifact.PublicUrl, StringComparison.Ordinal);
        Assert.Equal(("tar.gz", archive.LongLength), (artifact.Format, artifact.Size));
        Assert.EndsWith("docker-machine-driver-test", artifact.DriverBinary, StringComparison.Ordinal);
        Assert.Equal(DriverState.Ready, outcome.Record.Status.State);
        Assert.Equal(1, outcome.Record.Status.ObservedGeneration);

        using var response = await MirrorFixture.Anonymous.GetAsync(artifact.PublicUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(archive, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Sync_accepts_a_zip_written_as_a_stream_and_a_bare_elf_binary()
    {
        var zip = ArchiveBuilder.DriverZip();
        var elf = ArchiveBuilder.ElfPayload(32 * 1024);
        f.Upstream.Serve("/z/docker-machine-driver-test_linux-amd64.zip", zip, chunked: true);
        f.Upstream.Serve("/b/docker-machine-driver-bare", elf);
        await f.AddDriverAsync("zipped", "/z/docker-machine-driver-test_linux-amd64.zip");
        await f.AddDriverAsync("bare", "/b/docker-machine-driver-bare");

        var outcomes = await f.Mirror.SyncManyAsync([], parallelism: 2);

        Assert.All(outcomes, o => Assert.Equal(SyncResult.Published, o.Result));
        var zipped = outcomes.Single(o => o.Name == "zipped").Record!.Status.Artifacts["linux-amd64"];
        var bare = outcomes.Single(o => o.Name == "bare").Record!.Status.Artifacts["linux-amd64"];
        Assert.Equal(("zip", MirrorFixture.Sha256(zip)), (zipped.Format, zipped.Sha256));
        Assert.Equal(("elf", "docker-machine-driver-bare"), (bare.Format, bare.FileName));
        Assert.Equal(elf, await MirrorFixture.Anonymous.GetByteArrayAsync(bare.PublicUrl));
    }

    public static TheoryData<string, byte[], string> RefusedContent => new()
    {
        { "html", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body>Rate limited</body></html>"), "HTML" },
        { "empty", [], "empty" },
        { "no-driver", ArchiveBuilder.NoDriverTarGz(), "docker-machine-driver-" },
        { "not-elf", ArchiveBuilder.NonElfDriverTarGz(), "ELF" },
        { "traversal", ArchiveBuilder.TraversalTarGz(), ".." },
    };

    [Theory]
    [MemberData(nameof(RefusedContent))]
    public async Task Sync_refuses_bad_content_permanently_and_publishes_nothing(string label, byte[] content, string messagePart)
    {
        f.Upstream.Serve($"/{label}/docker-machine-driver-test.tar.gz", content, contentType: label == "html" ? "text/html" : "application/gzip");
        await f.AddDriverAsync("test", $"/{label}/docker-machine-driver-test.tar.gz");

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Failed, outcome.Result);
        Assert.False(outcome.IsTransient);
        Assert.Contains(messagePart, outcome.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(DriverState.Failed, outcome.Record!.Status.State);
        Assert.Equal(1, outcome.Record.Status.ConsecutiveFailures);
        Assert.Empty(outcome.Record.Status.Artifacts);
        Assert.Empty(await f.BlobsUnderAsync("test/"));
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("sha1")]
    [InlineData("sha256")]
    [InlineData("sha512")]
    public async Task Pinned_checksum_of_each_length_refuses_wrong_content_and_accepts_the_right_one(string algorithm)
    {
        var archive = ArchiveBuilder.DriverTarGz();
        byte[] digest = algorithm switch
        {
            "md5" => MD5.HashData(archive),
            "sha1" => SHA1.HashData(archive),
            "sha256" => SHA256.HashData(archive),
            _ => SHA512.HashData(archive),
        };
        var right = Convert.ToHexStringLower(digest);
        var wrong = new string('0', right.Length);
        f.Upstream.Serve(ReleasePath, archive);
        await f.AddDriverAsync("test", ReleasePath, checksum: wrong);

        var refused = await f.Mirror.SyncAsync("test");
        await f.Catalog.PatchAsync("test", new JsonObject { ["checksum"] = right.ToUpperInvariant() });
        var accepted = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Failed, refused.Result);
        Assert.False(refused.IsTransient);
        Assert.Contains(wrong, refused.Message, StringComparison.Ordinal);
        Assert.Equal(SyncResult.Published, accepted.Result);
        Assert.Equal(MirrorFixture.Sha256(archive), accepted.Record!.Status.Artifacts["linux-amd64"].Sha256);
        Assert.Single(await f.BlobsUnderAsync("test/"));
    }

    [Fact]
    public async Task Upstream_404_fails_permanently()
    {
        await f.AddDriverAsync("test", "/missing/docker-machine-driver-test.tar.gz");

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal((SyncResult.Failed, false), (outcome.Result, outcome.IsTransient));
        Assert.Contains("404", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_500_is_transient_and_the_retry_publishes()
    {
        f.Upstream.Serve(ReleasePath, UpstreamRoute.Bytes(ArchiveBuilder.DriverTarGz()) with { FailFirst = 1, FailStatusCode = 500 });
        await f.AddDriverAsync("test", ReleasePath);

        var first = await f.Mirror.SyncAsync("test");
        var retry = await f.Mirror.SyncAsync("test");

        Assert.Equal((SyncResult.Failed, true), (first.Result, first.IsTransient));
        Assert.StartsWith("Will retry", first.Message, StringComparison.Ordinal);
        Assert.Equal(SyncResult.Published, retry.Result);
        Assert.Equal(0, retry.Record!.Status.ConsecutiveFailures);
    }

    [Fact]
    public async Task Upstream_429_with_retry_after_is_transient()
    {
        f.Upstream.Respond(ReleasePath, 429, retryAfter: "120");
        await f.AddDriverAsync("test", ReleasePath);

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal((SyncResult.Failed, true), (outcome.Result, outcome.IsTransient));
        Assert.Contains("429", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_reset_mid_body_is_transient_and_publishes_nothing()
    {
        var archive = ArchiveBuilder.DriverTarGz(size: 512 * 1024);
        f.Upstream.Serve(ReleasePath, UpstreamRoute.Bytes(archive) with { AbortAfterBytes = archive.Length / 2 });
        await f.AddDriverAsync("test", ReleasePath);

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal((SyncResult.Failed, true), (outcome.Result, outcome.IsTransient));
        Assert.Empty(await f.BlobsUnderAsync("test/"));
    }

    [Fact]
    public async Task Redirect_within_allowed_hosts_keeps_the_file_name_of_the_record_url()
    {
        var archive = ArchiveBuilder.DriverTarGz();
        f.Upstream.Serve("/objects/8f3a9c?X-Signature=abc", archive);
        f.Upstream.Redirect(ReleasePath, f.Upstream.UrlFor("/objects/8f3a9c?X-Signature=abc"));
        await f.AddDriverAsync("test", ReleasePath);

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Published, outcome.Result);
        Assert.Equal("docker-machine-driver-test_1.0.0_linux_amd64.tar.gz", outcome.Record!.Status.Artifacts["linux-amd64"].FileName);
    }

    [Fact]
    public async Task Redirect_into_a_blocked_address_is_refused_and_the_trap_sees_nothing()
    {
        await using var trap = await LoopbackUpstream.StartAsync("127.0.0.2");
        trap.Serve(ReleasePath, ArchiveBuilder.DriverTarGz());
        f.Upstream.Redirect(ReleasePath, trap.UrlFor(ReleasePath));
        await f.AddDriverAsync("test", ReleasePath);

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal((SyncResult.Failed, false), (outcome.Result, outcome.IsTransient));
        Assert.Contains("127.0.0.2", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(0, trap.ConnectionCount);
    }

    [Fact]
    public async Task Archive_over_the_size_cap_is_refused()
    {
        await using var small = await MirrorFixture.StartAsync(s => s["Mirror:MaxArtifactBytes"] = "65536");
        small.Upstream.Serve(ReleasePath, ArchiveBuilder.DriverTarGz(size: 256 * 1024), chunked: true);
        await small.AddDriverAsync("test", ReleasePath);

        var outcome = await small.Mirror.SyncAsync("test");

        Assert.Equal((SyncResult.Failed, false), (outcome.Result, outcome.IsTransient));
        Assert.Empty(await small.BlobsUnderAsync("test/"));
    }

    [Fact]
    public async Task Records_sharing_an_upstream_url_are_fetched_once_and_each_get_their_own_artifact()
    {
        var bundle = ArchiveBuilder.TarGz(
            TestArchiveEntry.File("docker-machine", ArchiveBuilder.ElfPayload(4096)),
            TestArchiveEntry.File("docker-machine-driver-amazonec2", ArchiveBuilder.ElfPayload(4096, seed: 2)),
            TestArchiveEntry.File("docker-machine-driver-azure", ArchiveBuilder.ElfPayload(4096, seed: 3)));
        f.Upstream.Serve("/bundle/docker-machine.tar.gz", bundle);
        foreach (var name in new[] { "amazonec2", "azure", "digitalocean" })
        {
            await f.AddDriverAsync(name, "/bundle/docker-machine.tar.gz", builtin: true);
        }

        var outcomes = await f.Mirror.SyncManyAsync([], parallelism: 3);

        Assert.All(outcomes, o => Assert.Equal(SyncResult.Published, o.Result));
        Assert.Equal(1, f.Upstream.DownloadCount("/bundle/docker-machine.tar.gz"));
        var paths = outcomes.Select(o => o.Record!.Status.Artifacts["linux-amd64"].BlobPath).ToList();
        Assert.Equal(3, paths.Distinct().Count());
        Assert.All(outcomes, o => Assert.StartsWith(o.Name + "/", o.Record!.Status.Artifacts["linux-amd64"].BlobPath, StringComparison.Ordinal));
        foreach (var outcome in outcomes)
        {
            Assert.Equal(bundle, await MirrorFixture.Anonymous.GetByteArrayAsync(outcome.Record!.Status.Artifacts["linux-amd64"].PublicUrl));
        }
    }

    [Fact]
    public async Task Unchanged_upstream_answers_304_and_nothing_is_downloaded_again()
    {
        f.Upstream.Serve(ReleasePath, ArchiveBuilder.DriverTarGz(), etag: "\"v1\"");
        await f.AddDriverAsync("test", ReleasePath);

        var first = await f.Mirror.SyncAsync("test");
        var second = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Published, first.Result);
        Assert.Equal(SyncResult.Unchanged, second.Result);
        Assert.Equal(2, f.Upstream.RequestCount(ReleasePath));
        Assert.Equal(1, f.Upstream.DownloadCount(ReleasePath));
        Assert.Equal("\"v1\"", f.Upstream.LastRequestHeaders(ReleasePath)!["If-None-Match"]);
        Assert.Equal(first.Record!.Status.Artifacts["linux-amd64"], second.Record!.Status.Artifacts["linux-amd64"]);
        Assert.Equal(DriverState.Ready, second.Record.Status.State);
    }

    [Fact]
    public async Task Upstream_swapping_content_gets_a_new_immutable_url_keeps_the_old_one_and_flags_the_change()
    {
        var v1 = ArchiveBuilder.DriverTarGz(size: 8 * 1024);
        var v2 = ArchiveBuilder.DriverTarGz(size: 9 * 1024);
        f.Upstream.Serve(ReleasePath, v1, etag: "\"a\"");
        await f.AddDriverAsync("test", ReleasePath);
        var first = await f.Mirror.SyncAsync("test");

        f.Upstream.Serve(ReleasePath, v2, etag: "\"b\"");
        var second = await f.Mirror.SyncAsync("test");

        var oldUrl = first.Record!.Status.Artifacts["linux-amd64"].PublicUrl;
        var newUrl = second.Record!.Status.Artifacts["linux-amd64"].PublicUrl;
        Assert.Equal(SyncResult.Published, second.Result);
        Assert.NotEqual(oldUrl, newUrl);
        Assert.True(second.Record.Status.UpstreamChanged);
        Assert.False(first.Record.Status.UpstreamChanged);
        Assert.Equal(v1, await MirrorFixture.Anonymous.GetByteArrayAsync(oldUrl));
        Assert.Equal(v2, await MirrorFixture.Anonymous.GetByteArrayAsync(newUrl));
    }

    [Fact]
    public async Task Failed_sync_after_success_keeps_the_old_artifact_served_and_listed()
    {
        var archive = ArchiveBuilder.DriverTarGz();
        f.Upstream.Serve(ReleasePath, archive, etag: "\"v1\"");
        await f.AddDriverAsync("test", ReleasePath);
        var good = await f.Mirror.SyncAsync("test");

        f.Upstream.Serve(ReleasePath, Encoding.UTF8.GetBytes("<html><body>maintenance</body></html>"), etag: "\"maint\"", contentType: "text/html");
        var failed = await f.Mirror.SyncAsync("test");

        var artifact = good.Record!.Status.Artifacts["linux-amd64"];
        Assert.Equal(SyncResult.Failed, failed.Result);
        Assert.Equal(DriverState.Failed, failed.Record!.Status.State);
        Assert.Equal(artifact, failed.Record.Status.Artifacts["linux-amd64"]);
        Assert.Equal(good.Record.Status.LastSuccessAt, failed.Record.Status.LastSuccessAt);
        Assert.Equal(archive, await MirrorFixture.Anonymous.GetByteArrayAsync(artifact.PublicUrl));
        var index = JsonNode.Parse(await MirrorFixture.Anonymous.GetStringAsync(f.WebRoot.Uri + "/index.json"))!;
        var listed = index["drivers"]!.AsArray().Single(d => (string?)d!["name"] == "test")!;
        Assert.Equal("failed", (string?)listed["state"]);
        Assert.Equal(artifact.PublicUrl, (string?)listed["artifacts"]![0]!["url"]);
    }

    [Fact]
    public async Task Inactive_and_local_records_are_left_untouched()
    {
        f.Upstream.Serve(ReleasePath, ArchiveBuilder.DriverTarGz());
        var inactive = await f.AddDriverAsync("inactive", ReleasePath, active: false);
        var local = await f.Catalog.CreateAsync(new DriverSpec { Name = "amazonec2", Builtin = true, Active = true, Url = "local://" });

        var outcomes = await f.Mirror.SyncManyAsync(["inactive", "amazonec2"], parallelism: 2);

        Assert.All(outcomes, o => Assert.Equal(SyncResult.Skipped, o.Result));
        Assert.Equal(0, f.Upstream.TotalRequests);
        Assert.Equal(inactive.ETag, (await f.Catalog.GetAsync("inactive")).ETag);
        Assert.Equal(local.ETag, (await f.Catalog.GetAsync("amazonec2")).ETag);
        Assert.Empty(await f.BlobsUnderAsync("inactive/"));
    }

    [Fact]
    public async Task Two_concurrent_syncs_of_one_driver_leave_one_consistent_result()
    {
        var archive = ArchiveBuilder.DriverTarGz(size: 256 * 1024);
        f.Upstream.Serve(ReleasePath, UpstreamRoute.Bytes(archive) with { HeaderDelay = TimeSpan.FromMilliseconds(300) });
        await f.AddDriverAsync("test", ReleasePath);

        var outcomes = await Task.WhenAll(f.Mirror.SyncAsync("test"), f.Mirror.SyncAsync("test"));

        Assert.Equal([SyncResult.Published, SyncResult.Busy], outcomes.Select(o => o.Result).Order());
        Assert.Equal(1, f.Upstream.DownloadCount(ReleasePath));
        var record = await f.Catalog.GetAsync("test");
        Assert.Equal(DriverState.Ready, record.Status.State);
        Assert.Equal(MirrorFixture.Sha256(archive), record.Status.Artifacts["linux-amd64"].Sha256);
        Assert.Single(await f.BlobsUnderAsync("test/"));
    }

    [Fact]
    public async Task A_sync_cut_off_mid_download_says_so_and_keeps_the_last_good_artifact()
    {
        var good = ArchiveBuilder.DriverTarGz();
        f.Upstream.Serve(ReleasePath, good);
        await f.AddDriverAsync("test", ReleasePath);
        await f.Mirror.SyncAsync("test");
        var stalling = ArchiveBuilder.DriverTarGz(size: 512 * 1024);
        f.Upstream.Serve(ReleasePath, UpstreamRoute.Bytes(stalling) with { StallAfterBytes = 64 * 1024 });
        using var shutdown = new CancellationTokenSource();

        var sync = f.Mirror.SyncAsync("test", cancellationToken: shutdown.Token);
        while (f.Upstream.RequestCount(ReleasePath) < 2)
        {
            await Task.Delay(50);
        }

        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);

        var record = await f.Catalog.GetAsync("test");
        Assert.Equal(DriverState.Failed, record.Status.State);
        Assert.StartsWith("Interrupted", record.Status.Message, StringComparison.Ordinal);
        Assert.Equal(MirrorFixture.Sha256(good), record.Status.Artifacts["linux-amd64"].Sha256);
        Assert.Equal(good, await MirrorFixture.Anonymous.GetByteArrayAsync(record.Status.Artifacts["linux-amd64"].PublicUrl));
    }

    [Fact]
    public async Task An_upstream_file_name_with_control_characters_publishes_under_the_driver_file_name()
    {
        // The record's URL holds it escaped (%01); the upstream matches the decoded path.
        const string path = "/releases/docker-machine-driver-test\u0001.tar.gz";
        var archive = ArchiveBuilder.DriverTarGz();
        f.Upstream.Serve(path, archive);
        await f.AddDriverAsync("test", path);
        f.Upstream.Serve(ReleasePath, archive);
        await f.AddDriverAsync("other", ReleasePath);

        var outcomes = await f.Mirror.SyncManyAsync(["test", "other"], parallelism: 2);

        Assert.Equal(["test: Published", "other: Published"], outcomes.Select(o => $"{o.Name}: {o.Result}" + (o.Result == SyncResult.Published ? "" : " " + o.Message)));
        var artifact = (await f.Catalog.GetAsync("test")).Status.Artifacts["linux-amd64"];
        Assert.Equal("docker-machine-driver-test", artifact.FileName);
        Assert.EndsWith("/docker-machine-driver-test", artifact.PublicUrl, StringComparison.Ordinal);
        Assert.Equal(archive, await MirrorFixture.Anonymous.GetByteArrayAsync(artifact.PublicUrl));
    }

    [Fact]
    public async Task A_spec_edit_during_the_sync_discards_the_stale_result()
    {
        f.Upstream.Serve(ReleasePath, UpstreamRoute.Bytes(ArchiveBuilder.DriverTarGz()) with { HeaderDelay = TimeSpan.FromMilliseconds(500) });
        await f.AddDriverAsync("test", ReleasePath);

        var sync = f.Mirror.SyncAsync("test");
        await Task.Delay(200);
        await f.Catalog.PatchAsync("test", new JsonObject { ["displayName"] = "edited while syncing" });
        var outcome = await sync;

        Assert.Equal(SyncResult.Superseded, outcome.Result);
        var record = await f.Catalog.GetAsync("test");
        Assert.Equal(2, record.Generation);
        Assert.Equal("edited while syncing", record.Spec.DisplayName);
        Assert.Equal(DriverState.Pending, record.Status.State);
    }

    [Fact]
    public async Task Every_platform_is_mirrored_and_the_index_lists_each()
    {
        var amd = ArchiveBuilder.DriverZip();
        var arm = ArchiveBuilder.DriverZip(size: 70 * 1024);
        f.Upstream.Serve("/docker-machine-driver-test_linux-amd64.zip", amd);
        f.Upstream.Serve("/docker-machine-driver-test_linux-arm64.zip", arm);
        await f.Catalog.CreateAsync(new DriverSpec
        {
            Name = "linode",
            Active = true,
            Url = f.Upstream.UrlFor("/docker-machine-driver-test_linux-amd64.zip").AbsoluteUri,
            Platforms = new Dictionary<string, PlatformSource>
            {
                ["linux-arm64"] = new() { Url = f.Upstream.UrlFor("/docker-machine-driver-test_linux-arm64.zip").AbsoluteUri, Checksum = MirrorFixture.Sha256(arm) },
            },
        });

        var outcome = await f.Mirror.SyncAsync("linode");

        Assert.Equal(SyncResult.Published, outcome.Result);
        Assert.Equal(["linux-amd64", "linux-arm64"], outcome.Record!.Status.Artifacts.Keys.Order());
        using var index = JsonDocument.Parse(await MirrorFixture.Anonymous.GetStringAsync(f.WebRoot.Uri + "/index.json"));
        var artifacts = index.RootElement.GetProperty("drivers")[0].GetProperty("artifacts");
        Assert.Equal(2, artifacts.GetArrayLength());
        Assert.Equal(MirrorFixture.Sha256(arm), artifacts[1].GetProperty("sha256").GetString());
        var armManifest = await MirrorFixture.Anonymous.GetStringAsync(f.WebRoot.Uri + "/rancher/nodedrivers-linux-arm64.yaml");
        Assert.Contains(MirrorFixture.Sha256(arm), armManifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pinned_sha256_already_published_needs_no_request()
    {
        var archive = ArchiveBuilder.DriverTarGz();
        f.Upstream.Serve(ReleasePath, archive);
        await f.AddDriverAsync("test", ReleasePath, checksum: MirrorFixture.Sha256(archive));
        await f.Mirror.SyncAsync("test");

        var again = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Unchanged, again.Result);
        Assert.Equal(1, f.Upstream.RequestCount(ReleasePath));
    }
}
