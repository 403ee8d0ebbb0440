using System.IO.Compression;
using System.Security.Cryptography;
using DriverMirror.Mirroring;
using DriverMirror.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Net.Http.Headers;

namespace DriverMirror.Tests.Mirroring;

/// <summary>The fetcher against a real HTTP server on 127.0.0.1; refusals are proven with a trap server on 127.0.0.2.</summary>
public sealed class UpstreamFetcherTests : IAsyncLifetime
{
    private const int Cap = 64 * 1024;

    private readonly List<UpstreamFetcher> fetchers = [];
    private LoopbackUpstream upstream = null!;

    public async Task InitializeAsync() => upstream = await LoopbackUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        fetchers.ForEach(f => f.Dispose());
        await upstream.DisposeAsync();
    }

    private UpstreamFetcher Fetcher(Action<MirrorOptions>? configure = null, TimeProvider? time = null, CapturingLogger<UpstreamFetcher>? logger = null)
    {
        var options = new MirrorOptions
        {
            AllowedNetworks = "127.0.0.1/32",
            MaxArtifactBytes = Cap,
            MaxRedirects = 3,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            DownloadTimeout = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(options);
        var fetcher = new UpstreamFetcher(Options.Create(options), logger ?? new CapturingLogger<UpstreamFetcher>(), time);
        fetchers.Add(fetcher);
        return fetcher;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Stream body)
    {
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_200_streams_the_body_and_reports_the_upstream_headers()
    {
        var bytes = RandomBytes(40_000);
        var lastModified = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        upstream.Serve("/v1/docker-machine-driver-x.tar.gz", bytes, etag: "\"v1\"", lastModified: lastModified, contentType: "application/gzip", fileName: "docker-machine-driver-x.tar.gz");
        var url = upstream.UrlFor("/v1/docker-machine-driver-x.tar.gz");

        await using var response = await Fetcher().FetchAsync(url, validators: null);

        Assert.False(response.NotModified);
        Assert.Equal(bytes, await ReadAllAsync(response.Body));
        Assert.Equal(url, response.RequestedUrl);
        Assert.Equal(url, response.FinalUrl);
        Assert.Equal("\"v1\"", response.ETag);
        Assert.Equal(lastModified, response.LastModified);
        Assert.Equal(bytes.Length, response.ContentLength);
        Assert.Equal("application/gzip", response.ContentType);
        Assert.Equal("docker-machine-driver-x.tar.gz", response.ContentDispositionFileName);
        var sent = upstream.LastRequestHeaders("/v1/docker-machine-driver-x.tar.gz")!;
        Assert.Equal(UpstreamFetcher.UserAgent, sent["User-Agent"]);
        Assert.Equal("identity", sent["Accept-Encoding"]);
        Assert.False(sent.ContainsKey("If-None-Match"));
        Assert.Equal(1, upstream.RequestCount("/v1/docker-machine-driver-x.tar.gz"));
    }

    [Fact]
    public async Task A_compressed_answer_is_passed_through_byte_for_byte()
    {
        var original = RandomBytes(10_000);
        using var gzipped = new MemoryStream();
        await using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(original);
        }

        var served = gzipped.ToArray();
        upstream.Serve("/x.tar.gz", UpstreamRoute.Bytes(served) with { Headers = new Dictionary<string, string> { ["Content-Encoding"] = "gzip" } });

        await using var response = await Fetcher().FetchAsync(upstream.UrlFor("/x.tar.gz"), validators: null);

        var received = await ReadAllAsync(response.Body);
        Assert.Equal(SHA256.HashData(served), SHA256.HashData(received));
    }

    [Fact]
    public async Task A_matching_etag_gets_not_modified_with_an_empty_body_and_nothing_downloaded()
    {
        upstream.Serve("/d.tar.gz", RandomBytes(1000), etag: "\"v1\"", lastModified: DateTimeOffset.UnixEpoch.AddDays(20000));

        await using var response = await Fetcher().FetchAsync(upstream.UrlFor("/d.tar.gz"), new UpstreamValidators("\"v1\"", null));

        Assert.True(response.NotModified);
        Assert.Empty(await ReadAllAsync(response.Body));
        Assert.Equal("\"v1\"", response.ETag);
        Assert.Equal("\"v1\"", upstream.LastRequestHeaders("/d.tar.gz")!["If-None-Match"]);
        Assert.Equal(1, upstream.RequestCount("/d.tar.gz"));
        Assert.Equal(0, upstream.DownloadCount("/d.tar.gz"));
    }

    [Fact]
    public async Task A_last_modified_validator_is_sent_as_if_modified_since_and_gets_not_modified()
    {
        var lastModified = new DateTimeOffset(2024, 12, 1, 10, 0, 0, TimeSpan.Zero);
        upstream.Serve("/d.tar.gz", RandomBytes(1000), lastModified: lastModified);

        await using var response = await Fetcher().FetchAsync(upstream.UrlFor("/d.tar.gz"), new UpstreamValidators(null, lastModified));

        Assert.True(response.NotModified);
        Assert.Empty(await ReadAllAsync(response.Body));
        Assert.Equal(lastModified, response.LastModified);
        Assert.Equal(HeaderUtilities.FormatDate(lastModified), upstream.LastRequestHeaders("/d.tar.gz")!["If-Modified-Since"]);
        Assert.Equal(0, upstream.DownloadCount("/d.tar.gz"));
    }

    [Fact]
    public async Task A_stale_etag_gets_the_new_content_and_its_new_etag()
    {
        var v2 = RandomBytes(2000);
        upstream.Serve("/d.tar.gz", RandomBytes(1000), etag: "\"v1\"");
        upstream.Serve("/d.tar.gz", v2, etag: "\"v2\"");

        await using var response = await Fetcher().FetchAsync(upstream.UrlFor("/d.tar.gz"), new UpstreamValidators("\"v1\"", null));

        Assert.False(response.NotModified);
        Assert.Equal(v2, await ReadAllAsync(response.Body));
        Assert.Equal("\"v2\"", response.ETag);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(403)]
    [InlineData(400)]
    public async Task Client_errors_are_permanent(int status)
    {
        upstream.Respond("/gone.tar.gz", status);

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(upstream.UrlFor("/gone.tar.gz"), validators: null));

        Assert.False(error.IsTransient);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x-ratelimit-remaining", "0")]
    [InlineData("Retry-After", "60")]
    public async Task A_403_that_is_a_rate_limit_is_transient(string header, string value)
    {
        upstream.Serve("/limited.tar.gz", UpstreamRoute.Status(403) with { Headers = new Dictionary<string, string> { [header] = value } });

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(upstream.UrlFor("/limited.tar.gz"), validators: null));

        Assert.True(error.IsTransient);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task Server_errors_and_request_timeouts_are_transient(int status)
    {
        upstream.Respond("/flaky.tar.gz", status);

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(upstream.UrlFor("/flaky.tar.gz"), validators: null));

        Assert.True(error.IsTransient);
        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public async Task A_429_with_retry_after_seconds_is_transient_and_says_how_long_to_wait()
    {
        upstream.Respond("/busy.tar.gz", 429, retryAfter: "7");

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(upstream.UrlFor("/busy.tar.gz"), validators: null));

        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
    }

    [Fact]
    public async Task A_503_with_an_http_date_retry_after_is_transient_with_the_time_left_until_that_date()
    {
        var now = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(now);
        upstream.Respond("/busy.tar.gz", 503, retryAfter: HeaderUtilities.FormatDate(now.AddMinutes(2)));

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher(time: time).FetchAsync(upstream.UrlFor("/busy.tar.gz"), validators: null));

        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromMinutes(2), error.RetryAfter);
    }

    [Fact]
    public async Task Failing_first_then_succeeding_is_transient_then_returns_the_body()
    {
        var bytes = RandomBytes(5000);
        upstream.Serve("/later.tar.gz", UpstreamRoute.Bytes(bytes) with { FailFirst = 1, FailStatusCode = 500 });
        var fetcher = Fetcher();

        var first = await Assert.ThrowsAsync<MirrorException>(() => fetcher.FetchAsync(upstream.UrlFor("/later.tar.gz"), validators: null));
        await using var second = await fetcher.FetchAsync(upstream.UrlFor("/later.tar.gz"), validators: null);

        Assert.True(first.IsTransient);
        Assert.Equal(bytes, await ReadAllAsync(second.Body));
        Assert.Equal(2, upstream.RequestCount("/later.tar.gz"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_connection_reset_mid_body_throws_a_transient_error_while_reading(bool chunked)
    {
        upstream.Serve("/broken.tar.gz", UpstreamRoute.Bytes(RandomBytes(300_000)) with { AbortAfterBytes = 20_000, Chunked = chunked });

        await using var response = await Fetcher(o => o.MaxArtifactBytes = 1024 * 1024).FetchAsync(upstream.UrlFor("/broken.tar.gz"), validators: null);
        var error = await Assert.ThrowsAsync<MirrorException>(() => ReadAllAsync(response.Body));

        Assert.True(error.IsTransient);
        Assert.Contains("broke", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_chain_within_allowed_hosts_is_followed_and_the_final_url_reported()
    {
        var bytes = RandomBytes(3000);
        upstream.Serve("/releases/v1/driver.tar.gz", bytes);
        upstream.Redirect("/latest", new Uri("/hop", UriKind.Relative));
        upstream.Redirect("/hop", upstream.UrlFor("/releases/v1/driver.tar.gz"), statusCode: 301);
        var logger = new CapturingLogger<UpstreamFetcher>();

        await using var response = await Fetcher(logger: logger).FetchAsync(upstream.UrlFor("/latest"), validators: null);

        Assert.Equal(upstream.UrlFor("/latest"), response.RequestedUrl);
        Assert.Equal(upstream.UrlFor("/releases/v1/driver.tar.gz"), response.FinalUrl);
        Assert.Equal(bytes, await ReadAllAsync(response.Body));
        Assert.Equal(1, upstream.RequestCount("/hop"));
        Assert.Contains(logger.Messages, m => m.Contains("hop 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redirect_into_an_address_outside_the_allow_list_is_refused_and_the_trap_is_never_contacted()
    {
        await using var trap = await LoopbackUpstream.StartAsync("127.0.0.2");
        trap.Serve("/metadata", RandomBytes(100));
        upstream.Redirect("/innocent.tar.gz", trap.UrlFor("/metadata"));

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(upstream.UrlFor("/innocent.tar.gz"), validators: null));

        Assert.False(error.IsTransient);
        Assert.Contains("127.0.0.2", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, upstream.RequestCount("/innocent.tar.gz"));
        Assert.Equal(0, trap.ConnectionCount);
        Assert.Equal(0, trap.TotalRequests);
    }

    [Fact]
    public async Task A_direct_url_to_an_address_outside_the_allow_list_is_refused_without_touching_it()
    {
        await using var trap = await LoopbackUpstream.StartAsync("127.0.0.2");
        trap.Serve("/driver.tar.gz", RandomBytes(100));

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(trap.UrlFor("/driver.tar.gz"), validators: null));

        Assert.False(error.IsTransient);
        Assert.Contains("127.0.0.2 (loopback)", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, trap.ConnectionCount);
    }

    [Fact]
    public async Task A_name_that_rebinds_after_the_check_still_connects_to_the_checked_address()
    {
        await using var trap = await LoopbackUpstream.StartAsync("127.0.0.2");
        var bytes = RandomBytes(100);
        upstream.Serve("/d.tar.gz", bytes);
        trap.Serve("/d.tar.gz", RandomBytes(100));
        var lookups = 0;

        // The first answer passes the guard; every later one points at the trap, as a rebinding DNS server would.
        Task<System.Net.IPAddress[]> Rebinding(string host, CancellationToken cancellationToken) => Task.FromResult(new[]
        {
            Interlocked.Increment(ref lookups) == 1 ? upstream.Address : trap.Address,
        });
        var options = Options.Create(new MirrorOptions { AllowedNetworks = "127.0.0.1/32", MaxArtifactBytes = Cap });
        using var fetcher = new UpstreamFetcher(options, new CapturingLogger<UpstreamFetcher>(), TimeProvider.System, Rebinding);
        var url = new UriBuilder(upstream.UrlFor("/d.tar.gz")) { Host = "rebind.test" }.Uri;

        await using var response = await fetcher.FetchAsync(url, validators: null);

        Assert.Equal(bytes, await ReadAllAsync(response.Body));
        Assert.Equal(1, lookups);
        Assert.Equal(0, trap.ConnectionCount);
    }

    [Fact]
    public async Task More_redirects_than_allowed_are_refused_as_permanent()
    {
        for (var i = 0; i < 4; i++)
        {
            upstream.Redirect($"/r{i}", upstream.UrlFor($"/r{i + 1}"));
        }

        upstream.Serve("/r4", RandomBytes(10));

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher(o => o.MaxRedirects = 3).FetchAsync(upstream.UrlFor("/r0"), validators: null));
        await using var withinLimit = await Fetcher(o => o.MaxRedirects = 3).FetchAsync(upstream.UrlFor("/r1"), validators: null);

        Assert.False(error.IsTransient);
        Assert.Contains("more than 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(upstream.UrlFor("/r4"), withinLimit.FinalUrl);
        Assert.Equal(1, upstream.RequestCount("/r4"));
    }

    [Fact]
    public async Task A_redirect_to_another_scheme_is_refused()
    {
        upstream.Redirect("/ftp", new Uri("ftp://127.0.0.1/driver.tar.gz"));

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(upstream.UrlFor("/ftp"), validators: null));

        Assert.False(error.IsTransient);
        Assert.Contains("ftp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_content_length_over_the_cap_is_refused_before_reading()
    {
        upstream.Serve("/big.tar.gz", RandomBytes(Cap + 1));

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(upstream.UrlFor("/big.tar.gz"), validators: null));

        Assert.False(error.IsTransient);
        Assert.Contains("size cap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_over_the_cap_fails_permanently_while_streaming()
    {
        upstream.ServeStream("/big.tar.gz", () => new MemoryStream(RandomBytes(Cap * 4)), contentLength: null);

        await using var response = await Fetcher().FetchAsync(upstream.UrlFor("/big.tar.gz"), validators: null);
        var buffer = new byte[8192];
        long read = 0;
        var error = await Assert.ThrowsAsync<MirrorException>(async () =>
        {
            int n;
            while ((n = await response.Body.ReadAsync(buffer)) > 0)
            {
                read += n;
            }
        });

        Assert.Null(response.ContentLength);
        Assert.False(error.IsTransient);
        Assert.InRange(read, 0, Cap);
    }

    [Fact]
    public async Task A_chunked_body_of_exactly_the_cap_is_accepted()
    {
        var bytes = RandomBytes(Cap);
        upstream.Serve("/exact.tar.gz", bytes, chunked: true);

        await using var response = await Fetcher().FetchAsync(upstream.UrlFor("/exact.tar.gz"), validators: null);

        Assert.Null(response.ContentLength);
        Assert.Equal(bytes, await ReadAllAsync(response.Body));
    }

    [Fact]
    public async Task Credentials_in_the_url_are_refused_without_contacting_the_upstream_or_echoing_them()
    {
        upstream.Serve("/d.tar.gz", RandomBytes(10));
        var url = new UriBuilder(upstream.UrlFor("/d.tar.gz")) { UserName = "operator", Password = "s3cret" }.Uri;

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(url, validators: null));

        Assert.False(error.IsTransient);
        Assert.Contains("credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, upstream.TotalRequests);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/docker-machine-driver-x.tar.gz")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:70/x")]
    public async Task Schemes_other_than_http_and_https_are_refused(string url)
    {
        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(new Uri(url), validators: null));

        Assert.False(error.IsTransient);
        Assert.Contains("only http and https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Localhost_is_fetched_when_its_address_is_in_the_allow_list()
    {
        var bytes = RandomBytes(100);
        upstream.Serve("/d.tar.gz", bytes);
        var url = new UriBuilder(upstream.UrlFor("/d.tar.gz")) { Host = "localhost" }.Uri;

        await using var response = await Fetcher().FetchAsync(url, validators: null);

        Assert.Equal(bytes, await ReadAllAsync(response.Body));
    }

    [Fact]
    public async Task Localhost_is_refused_without_an_allow_list_and_the_message_names_host_and_address()
    {
        upstream.Serve("/d.tar.gz", RandomBytes(100));
        var url = new UriBuilder(upstream.UrlFor("/d.tar.gz")) { Host = "localhost" }.Uri;

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher(o => o.AllowedNetworks = null).FetchAsync(url, validators: null));

        Assert.False(error.IsTransient);
        Assert.Contains("'localhost'", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 (loopback)", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, upstream.ConnectionCount);
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var closedPort = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/d.tar.gz");

        var error = await Assert.ThrowsAsync<MirrorException>(() => Fetcher().FetchAsync(closedPort, validators: null));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Headers_slower_than_the_connect_timeout_are_a_transient_timeout()
    {
        upstream.Serve("/slow.tar.gz", UpstreamRoute.Bytes(RandomBytes(10)) with { HeaderDelay = TimeSpan.FromSeconds(10) });

        var error = await Assert.ThrowsAsync<MirrorException>(
            () => Fetcher(o => o.ConnectTimeout = TimeSpan.FromMilliseconds(300)).FetchAsync(upstream.UrlFor("/slow.tar.gz"), validators: null));

        Assert.True(error.IsTransient);
        Assert.Contains("connect timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_stalls_past_the_download_timeout_throws_a_transient_error_while_reading()
    {
        upstream.Serve("/stall.tar.gz", UpstreamRoute.Bytes(RandomBytes(50_000)) with { StallAfterBytes = 1000 });

        await using var response = await Fetcher(o => o.DownloadTimeout = TimeSpan.FromSeconds(3)).FetchAsync(upstream.UrlFor("/stall.tar.gz"), validators: null);
        var error = await Assert.ThrowsAsync<MirrorException>(() => ReadAllAsync(response.Body));

        Assert.True(error.IsTransient);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_synchronous_read_past_the_download_timeout_is_unblocked_and_transient()
    {
        upstream.Serve("/stall.tar.gz", UpstreamRoute.Bytes(RandomBytes(50_000)) with { StallAfterBytes = 1000 });

        await using var response = await Fetcher(o => o.DownloadTimeout = TimeSpan.FromSeconds(3)).FetchAsync(upstream.UrlFor("/stall.tar.gz"), validators: null);
        var error = await Assert.ThrowsAsync<MirrorException>(() => Task.Run(() => response.Body.CopyTo(Stream.Null)));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Query_strings_stay_out_of_logs_and_error_messages()
    {
        var logger = new CapturingLogger<UpstreamFetcher>();

        var error = await Assert.ThrowsAsync<MirrorException>(
            () => Fetcher(logger: logger).FetchAsync(upstream.UrlFor("/private.tar.gz?token=hunter2"), validators: null));

        Assert.Equal("?token=hunter2", upstream.LastQuery("/private.tar.gz"));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(logger.Messages);
        Assert.All(logger.Messages, m => Assert.DoesNotContain("hunter2", m, StringComparison.Ordinal));
        Assert.Contains(logger.Messages, m => m.Contains("/private.tar.gz", StringComparison.Ordinal) && m.Contains("404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_fetcher_serves_concurrent_downloads()
    {
        var bytes = RandomBytes(Cap);
        upstream.Serve("/shared.tar.gz", bytes, chunked: true);
        var fetcher = Fetcher();

        var bodies = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var response = await fetcher.FetchAsync(upstream.UrlFor("/shared.tar.gz"), validators: null);
            return await ReadAllAsync(response.Body);
        }));

        Assert.All(bodies, body => Assert.Equal(bytes, body));
        Assert.Equal(8, upstream.DownloadCount("/shared.tar.gz"));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
