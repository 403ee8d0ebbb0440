using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace DriverMirror.Testing;

/// <summary>
/// A real HTTP upstream on a loopback address (Kestrel, port chosen by the OS) whose answers a test programs per path with
/// <see cref="UpstreamRoute"/>. It counts connections, requests and bodies served per path and keeps the request headers
/// last seen, so tests can assert "fetched once", "nothing downloaded" and "never contacted". Unknown paths get 404.
/// </summary>
public sealed class LoopbackUpstream : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RouteState> routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PathStats> stats = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? app;
    private int connections;
    private int requests;

    private LoopbackUpstream()
    {
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The loopback address listened on.</summary>
    public IPAddress Address { get; private set; } = IPAddress.Loopback;

    /// <summary>TCP connections accepted so far (a guard that works leaves a trap server at zero).</summary>
    public int ConnectionCount => Volatile.Read(ref connections);

    /// <summary>Requests received so far, on any path.</summary>
    public int TotalRequests => Volatile.Read(ref requests);

    /// <summary>Starts a server on <paramref name="address"/> (must be loopback: 127.0.0.0/8 or ::1), port chosen by the OS.</summary>
    public static async Task<LoopbackUpstream> StartAsync(string address = "127.0.0.1", CancellationToken cancellationToken = default)
    {
        var ip = IPAddress.Parse(address);
        if (!IPAddress.IsLoopback(ip))
        {
            throw new ArgumentException($"LoopbackUpstream listens on loopback addresses only, not {address}.", nameof(address));
        }

        var upstream = new LoopbackUpstream { Address = ip };
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Tests may read slowly or pause (e.g. while staging blocks); don't let Kestrel drop them.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(ip, 0, listen => listen.Use(next => connection =>
            {
                Interlocked.Increment(ref upstream.connections);
                return next(connection);
            }));
        });
        var app = builder.Build();
        app.Run(upstream.HandleAsync);
        await app.StartAsync(cancellationToken);
        upstream.app = app;

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        upstream.BaseUrl = new Uri(new Uri(bound).GetLeftPart(UriPartial.Authority) + "/");
        return upstream;
    }

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> (e.g. <c>/v1/x.tar.gz</c> or <c>/x?token=1</c>) on this server.</summary>
    public Uri UrlFor(string pathAndQuery) => new(BaseUrl, pathAndQuery.StartsWith('/') ? pathAndQuery : "/" + pathAndQuery);

    /// <summary>Programs <paramref name="path"/> (path only, no query); replaces any earlier route and restarts its fail-first count.</summary>
    public void Serve(string path, UpstreamRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        routes[Normalize(path)] = new RouteState(route);
    }

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> (calling it again swaps the content).</summary>
    public void Serve(
        string path, byte[] content, string? etag = null, DateTimeOffset? lastModified = null,
        string? contentType = "application/octet-stream", bool chunked = false, string? fileName = null) =>
        Serve(path, UpstreamRoute.Bytes(content) with
        {
            ETag = etag,
            LastModified = lastModified,
            ContentType = contentType,
            Chunked = chunked,
            ContentDispositionFileName = fileName,
        });

    /// <summary>Serves a stream opened per request; <paramref name="contentLength"/> null sends it chunked.</summary>
    public void ServeStream(string path, Func<Stream> open, long? contentLength, string? etag = null, string? contentType = "application/octet-stream") =>
        Serve(path, UpstreamRoute.Stream(open, contentLength) with { ETag = etag, ContentType = contentType });

    /// <summary>Answers <paramref name="statusCode"/> (with an optional Retry-After) at <paramref name="path"/>.</summary>
    public void Respond(string path, int statusCode, string? retryAfter = null) => Serve(path, UpstreamRoute.Status(statusCode, retryAfter));

    /// <summary>Redirects <paramref name="path"/> to <paramref name="target"/> (any URL, also on another server).</summary>
    public void Redirect(string path, Uri target, int statusCode = 302) => Serve(path, UpstreamRoute.Redirect(target, statusCode));

    /// <summary>Forgets the route at <paramref name="path"/>: it answers 404 again. Counters are kept.</summary>
    public void Remove(string path) => routes.TryRemove(Normalize(path), out _);

    /// <summary>Requests received for <paramref name="path"/>, whatever the answer.</summary>
    public int RequestCount(string path) => stats.TryGetValue(Normalize(path), out var s) ? Volatile.Read(ref s.Requests) : 0;

    /// <summary>Responses at <paramref name="path"/> that started sending a body (304s, redirects and failures excluded).</summary>
    public int DownloadCount(string path) => stats.TryGetValue(Normalize(path), out var s) ? Volatile.Read(ref s.Downloads) : 0;

    /// <summary>Body bytes written for <paramref name="path"/> in total.</summary>
    public long BytesServed(string path) => stats.TryGetValue(Normalize(path), out var s) ? Interlocked.Read(ref s.Bytes) : 0;

    /// <summary>The headers of the last request for <paramref name="path"/> (names case-insensitive), or null if none came.</summary>
    public IReadOnlyDictionary<string, string>? LastRequestHeaders(string path) =>
        stats.TryGetValue(Normalize(path), out var s) ? s.LastHeaders : null;

    /// <summary>The query string of the last request for <paramref name="path"/> (with its '?'), or null if none came.</summary>
    public string? LastQuery(string path) => stats.TryGetValue(Normalize(path), out var s) ? s.LastQuery : null;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Connections still open after the grace period are dropped by DisposeAsync.
            }

            await app.DisposeAsync();
        }

        stopping.Dispose();
    }

    private static string Normalize(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var bare = query >= 0 ? path[..query] : path;
        return bare.StartsWith('/') ? bare : "/" + bare;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref requests);
        var path = context.Request.Path.HasValue ? context.Request.Path.Value! : "/";
        var pathStats = stats.GetOrAdd(path, _ => new PathStats());
        Interlocked.Increment(ref pathStats.Requests);
        pathStats.LastQuery = context.Request.QueryString.Value;
        pathStats.LastHeaders = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        if (!routes.TryGetValue(path, out var state))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var attempt = Interlocked.Increment(ref state.Requests);
        var route = state.Route;
        if (route.HeaderDelay > TimeSpan.Zero)
        {
            await Task.Delay(route.HeaderDelay, aborted.Token);
        }

        var response = context.Response;
        if (attempt <= route.FailFirst)
        {
            response.StatusCode = route.FailStatusCode;
            if (route.FailRetryAfter is not null)
            {
                response.Headers.RetryAfter = route.FailRetryAfter;
            }

            await response.WriteAsync($"failure {attempt} of {route.FailFirst}", aborted.Token);
            return;
        }

        response.StatusCode = route.StatusCode;
        if (route.Location is not null)
        {
            response.Headers.Location = route.Location.ToString();
            return;
        }

        if (route.RetryAfter is not null)
        {
            response.Headers.RetryAfter = route.RetryAfter;
        }

        if (route.ETag is not null)
        {
            response.Headers.ETag = route.ETag;
        }

        if (route.LastModified is { } lastModified)
        {
            response.Headers.LastModified = HeaderUtilities.FormatDate(lastModified);
        }

        foreach (var (name, value) in route.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        if (route.StatusCode is >= 200 and < 300 && IsNotModified(context.Request, route))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        if (route.ContentType is not null)
        {
            response.ContentType = route.ContentType;
        }

        if (route.ContentDispositionFileName is not null)
        {
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = route.ContentDispositionFileName }.ToString();
        }

        if (route.Body is null)
        {
            response.ContentLength = 0;
            return;
        }

        if (!route.Chunked && route.ContentLength is { } length)
        {
            response.ContentLength = length;
        }

        if (route.StatusCode is >= 200 and < 300)
        {
            Interlocked.Increment(ref pathStats.Downloads);
        }

        await WriteBodyAsync(context, route, pathStats, aborted.Token);
    }

    private static async Task WriteBodyAsync(HttpContext context, UpstreamRoute route, PathStats pathStats, CancellationToken cancellationToken)
    {
        var limit = route.AbortAfterBytes ?? route.StallAfterBytes ?? long.MaxValue;
        var buffer = new byte[64 * 1024];
        long written = 0;
        await using (var body = route.Body!())
        {
            while (written < limit)
            {
                var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - written)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                written += read;
                Interlocked.Add(ref pathStats.Bytes, read);
            }
        }

        if (written < limit)
        {
            return;
        }

        await context.Response.Body.FlushAsync(cancellationToken);
        if (route.AbortAfterBytes is not null)
        {
            // Give the flushed bytes a moment on the wire, then drop the connection: the client sees it break mid-body.
            await Task.Delay(50, cancellationToken);
            context.Abort();
            return;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (or the server stops): that is the point of a stall.
        }
    }

    private static bool IsNotModified(HttpRequest request, UpstreamRoute route)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0)
        {
            return route.ETag is not null
                && ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Any(tag => tag == "*" || WeakEquals(tag, route.ETag));
        }

        return route.LastModified is { } lastModified
            && HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since)
            && TruncateToSeconds(lastModified) <= since;
    }

    private static bool WeakEquals(string a, string b) =>
        string.Equals(a.StartsWith("W/", StringComparison.Ordinal) ? a[2..] : a, b.StartsWith("W/", StringComparison.Ordinal) ? b[2..] : b, StringComparison.Ordinal);

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Offset);

    private sealed class RouteState(UpstreamRoute route)
    {
        public int Requests;

        public UpstreamRoute Route { get; } = route;
    }

    private sealed class PathStats
    {
        public int Requests;
        public int Downloads;
        public long Bytes;

        public volatile IReadOnlyDictionary<string, string>? LastHeaders;
        public volatile string? LastQuery;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Requests} requests, {Downloads} downloads, {Bytes} bytes");
    }
}
