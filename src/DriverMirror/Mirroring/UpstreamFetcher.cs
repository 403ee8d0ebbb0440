using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DriverMirror.Mirroring;

/// <summary>
/// Downloads upstream archives behind an egress guard: http/https only; the resolved address must not be loopback,
/// private, link-local (cloud metadata), unspecified or multicast unless inside <see cref="MirrorOptions.AllowedNetworks"/>;
/// the connection goes to the address that was checked; every redirect is checked again; size and time are capped.
/// Safe for concurrent use: register one instance (it owns one connection pool).
/// </summary>
public sealed class UpstreamFetcher : IDisposable
{
    /// <summary>The User-Agent sent upstream.</summary>
    public const string UserAgent = "DriverFunctions-mirror/1.0";

    // The addresses FetchAsync checked for a request's host, handed to the connect callback so it dials exactly those.
    private static readonly HttpRequestOptionsKey<CheckedDestination> CheckedDestinationKey = new("DriverMirror.CheckedDestination");

    private readonly MirrorOptions options;
    private readonly ILogger<UpstreamFetcher> logger;
    private readonly TimeProvider timeProvider;
    private readonly EgressGuard guard;
    private readonly HttpClient client;

    /// <summary>Creates the fetcher. Throws <see cref="FormatException"/> when <see cref="MirrorOptions.AllowedNetworks"/> is invalid.</summary>
    public UpstreamFetcher(IOptions<MirrorOptions> options, ILogger<UpstreamFetcher> logger, TimeProvider? timeProvider = null)
        : this(options, logger, timeProvider, resolver: null)
    {
    }

    /// <summary>Creates the fetcher with a stand-in for DNS (tests: a name that changes its answer between lookups).</summary>
    internal UpstreamFetcher(
        IOptions<MirrorOptions> options, ILogger<UpstreamFetcher> logger, TimeProvider? timeProvider, Func<string, CancellationToken, Task<IPAddress[]>>? resolver)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.logger = logger;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        guard = new EgressGuard(AllowedNetworks.Parse(this.options.AllowedNetworks), resolver);

        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by hand so that every hop passes the guard.
            AllowAutoRedirect = false,

            // Bytes are hashed exactly as served: a transparently gunzipped .tar.gz would not match its checksum.
            AutomaticDecompression = DecompressionMethods.None,

            // A proxy would make the connection go somewhere the guard never checked.
            UseProxy = false,
            UseCookies = false,
            Credentials = null,
            PreAuthenticate = false,
            ConnectTimeout = Positive(this.options.ConnectTimeout) ?? Timeout.InfiniteTimeSpan,

            // Pooled connections stay bound to the address checked when they opened; recycle them so DNS changes apply.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectToCheckedAddressAsync,
        };
        client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>GETs <paramref name="url"/>, conditionally when <paramref name="validators"/> are given.</summary>
    /// <exception cref="MirrorException">Refused address, HTTP error, timeout or broken connection.</exception>
    public async Task<UpstreamResponse> FetchAsync(Uri url, UpstreamValidators? validators, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        EgressGuard.EnsureFetchableUrl(url);

        // The whole download, body included, must end within DownloadTimeout; the body stream inherits this deadline.
        var deadline = Positive(options.DownloadTimeout) is { } downloadTimeout
            ? new CancellationTokenSource(downloadTimeout, timeProvider)
            : new CancellationTokenSource();
        var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        HttpResponseMessage? response = null;
        try
        {
            var current = url;
            for (var hop = 0; ; hop++)
            {
                response = await SendAsync(current, validators, deadline, lifetime.Token, cancellationToken).ConfigureAwait(false);
                if (!IsRedirect(response.StatusCode))
                {
                    break;
                }

                var next = RedirectTarget(current, response);
                response.Dispose();
                response = null;
                if (hop >= options.MaxRedirects)
                {
                    throw MirrorException.Permanent(
                        $"Upstream {EgressGuard.Redact(url)} redirected more than {options.MaxRedirects} times (last hop to {EgressGuard.Redact(next)}).");
                }

                logger.LogInformation(
                    "Upstream {UpstreamUrl} redirects (hop {RedirectHop}) to {RedirectUrl}", EgressGuard.Redact(current), hop + 1, EgressGuard.Redact(next));
                EgressGuard.EnsureFetchableUrl(next);
                current = next;
            }

            var result = await ToUpstreamResponseAsync(url, current, response, validators, deadline, lifetime, cancellationToken).ConfigureAwait(false);
            // The body stream now owns the response and the deadlines (a 304 has already released them).
            response = null;
            deadline = null;
            lifetime = null;
            return result;
        }
        finally
        {
            response?.Dispose();
            lifetime?.Dispose();
            deadline?.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose() => client.Dispose();

    private async Task<HttpResponseMessage> SendAsync(
        Uri url, UpstreamValidators? validators, CancellationTokenSource deadline, CancellationToken lifetime, CancellationToken callerToken)
    {
        var display = EgressGuard.Redact(url);
        var permitted = await guard.ResolvePermittedAsync(url, lifetime).ConfigureAwait(false);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Options.Set(CheckedDestinationKey, new CheckedDestination(url.IdnHost, permitted));
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.AcceptEncoding.ParseAdd("identity");
        if (validators?.ETag is { Length: > 0 } etag)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        if (validators?.LastModified is { } lastModified)
        {
            request.Headers.IfModifiedSince = lastModified;
        }

        // Connect plus response headers must arrive within ConnectTimeout; the body has the rest of DownloadTimeout.
        using var headersDeadline = Positive(options.ConnectTimeout) is { } connectTimeout
            ? new CancellationTokenSource(connectTimeout, timeProvider)
            : new CancellationTokenSource();
        using var sendToken = CancellationTokenSource.CreateLinkedTokenSource(lifetime, headersDeadline.Token);
        try
        {
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, sendToken.Token).ConfigureAwait(false);
            logger.LogInformation("Upstream {UpstreamUrl} answered {StatusCode}", display, (int)response.StatusCode);
            return response;
        }
        catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested)
        {
            var which = deadline.IsCancellationRequested ? $"the download timeout of {options.DownloadTimeout}" : $"the connect timeout of {options.ConnectTimeout}";
            throw MirrorException.Transient($"Upstream {display} did not answer within {which}.", innerException: ex);
        }
        catch (HttpRequestException ex) when (FindInner<MirrorException>(ex) is { } refused)
        {
            throw refused;
        }
        catch (HttpRequestException ex)
        {
            var reason = FindInner<SocketException>(ex) is { } socket ? $"{socket.SocketErrorCode}: {socket.Message}" : ex.Message;
            throw MirrorException.Transient($"Could not reach upstream {display}: {reason}", innerException: ex);
        }
    }

    private async Task<UpstreamResponse> ToUpstreamResponseAsync(
        Uri requested, Uri final, HttpResponseMessage response, UpstreamValidators? validators,
        CancellationTokenSource deadline, CancellationTokenSource lifetime, CancellationToken callerToken)
    {
        var display = EgressGuard.Redact(final);
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            if (validators is null)
            {
                throw MirrorException.Permanent($"Upstream {display} answered 304 Not Modified to an unconditional request.");
            }

            // A 304 may refresh the validators; keep the old ones where it doesn't.
            var notModified = new UpstreamResponse(requested, final, Stream.Null)
            {
                NotModified = true,
                ETag = response.Headers.ETag?.ToString() ?? validators.ETag,
                LastModified = response.Content.Headers.LastModified ?? validators.LastModified,
            };
            response.Dispose();
            lifetime.Dispose();
            deadline.Dispose();
            return notModified;
        }

        if (status is 408 or 429 || status >= 500 || (status == 403 && IsRateLimit(response)))
        {
            var retryAfter = RetryAfter(response.Headers.RetryAfter);
            throw MirrorException.Transient(
                $"Upstream {display} answered {status} {response.ReasonPhrase}" + (retryAfter is { } wait ? $"; retry after {wait}." : "."), retryAfter);
        }

        if (status is < 200 or >= 300)
        {
            throw new MirrorException($"Upstream {display} answered {status} {response.ReasonPhrase}.", transient: false) { UpstreamStatus = status };
        }

        var headers = response.Content.Headers;
        if (headers.ContentLength > options.MaxArtifactBytes)
        {
            throw MirrorException.Permanent(
                $"Upstream {display} announces {headers.ContentLength} bytes, over the size cap of {options.MaxArtifactBytes} bytes; not downloaded.");
        }

        Stream content;
        try
        {
            content = await response.Content.ReadAsStreamAsync(lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException && !callerToken.IsCancellationRequested)
        {
            throw MirrorException.Transient($"Could not read the body of upstream {display}: {ex.Message}", innerException: ex);
        }

        return new UpstreamResponse(requested, final, new UpstreamBodyStream(content, options.MaxArtifactBytes, display, response, deadline, lifetime))
        {
            ContentLength = headers.ContentLength,
            ContentType = headers.ContentType?.MediaType,
            ETag = response.Headers.ETag?.ToString(),
            LastModified = headers.LastModified,
            ContentDispositionFileName = FileName(headers.ContentDisposition),
        };
    }

    /// <summary>
    /// A 403 that is a rate limit (GitHub answers so, with <c>x-ratelimit-remaining: 0</c> or a <c>Retry-After</c>) passes
    /// with time; any other 403 is a refusal.
    /// </summary>
    private static bool IsRateLimit(HttpResponseMessage response) =>
        response.Headers.RetryAfter is not null
        || (response.Headers.TryGetValues("x-ratelimit-remaining", out var remaining) && remaining.Contains("0"));

    private async ValueTask<Stream> ConnectToCheckedAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;

        // Normally the request carries the addresses FetchAsync checked for this very host; if not, check here. Either way
        // the socket dials an address that passed the guard, never a fresh DNS answer.
        var addresses = context.InitialRequestMessage.Options.TryGetValue(CheckedDestinationKey, out var checkedDestination)
            && string.Equals(checkedDestination.Host, endpoint.Host, StringComparison.OrdinalIgnoreCase)
                ? checkedDestination.Addresses
                : await guard.ResolvePermittedAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);

        SocketException? lastFailure = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastFailure = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw lastFailure ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static Uri RedirectTarget(Uri current, HttpResponseMessage response)
    {
        var location = response.Headers.Location
            ?? throw MirrorException.Permanent($"Upstream {EgressGuard.Redact(current)} answered {(int)response.StatusCode} without a Location.");
        return location.IsAbsoluteUri ? location : new Uri(current, location);
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string? FileName(ContentDispositionHeaderValue? disposition)
    {
        var name = disposition?.FileNameStar ?? disposition?.FileName;
        name = name?.Trim().Trim('"');
        return string.IsNullOrEmpty(name) ? null : name;
    }

    private static TimeSpan? Positive(TimeSpan value) => value > TimeSpan.Zero && value != Timeout.InfiniteTimeSpan ? value : null;

    private static T? FindInner<T>(Exception ex)
        where T : Exception
    {
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T match)
            {
                return match;
            }
        }

        return null;
    }

    private sealed record CheckedDestination(string Host, IReadOnlyList<IPAddress> Addresses);
}
