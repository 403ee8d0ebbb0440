namespace DriverMirror.Testing;

/// <summary>
/// What <see cref="LoopbackUpstream"/> answers on one path. Immutable: program variations with <c>with</c>, e.g.
/// <c>UpstreamRoute.Bytes(data) with { FailFirst = 2, FailStatusCode = 503 }</c>.
/// </summary>
public sealed record UpstreamRoute
{
    /// <summary>Status of the real answer (after any <see cref="FailFirst"/> failures).</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Opens the body for one request (called per request; disposed after). Null: no body.</summary>
    public Func<Stream>? Body { get; init; }

    /// <summary>Length sent as Content-Length unless <see cref="Chunked"/>; null means chunked.</summary>
    public long? ContentLength { get; init; }

    /// <summary>Send the body chunked (no Content-Length) even when its length is known.</summary>
    public bool Chunked { get; init; }

    /// <summary>The Content-Type header, if any.</summary>
    public string? ContentType { get; init; } = "application/octet-stream";

    /// <summary>The ETag (quoted, e.g. <c>"\"v1\""</c>); a matching If-None-Match gets 304.</summary>
    public string? ETag { get; init; }

    /// <summary>The Last-Modified; an If-Modified-Since at or after it (and no If-None-Match) gets 304.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>A file name sent as <c>Content-Disposition: attachment; filename=...</c>.</summary>
    public string? ContentDispositionFileName { get; init; }

    /// <summary>A Retry-After header value (seconds or an HTTP date) sent with <see cref="StatusCode"/>.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Answer with a redirect to this URL (status <see cref="StatusCode"/>, 302 from <see cref="Redirect"/>).</summary>
    public Uri? Location { get; init; }

    /// <summary>Close the connection abruptly after this many body bytes (a reset mid-body).</summary>
    public long? AbortAfterBytes { get; init; }

    /// <summary>Send this many body bytes, then stall until the client gives up (a download that hangs).</summary>
    public long? StallAfterBytes { get; init; }

    /// <summary>Wait this long before sending the status line and headers.</summary>
    public TimeSpan HeaderDelay { get; init; }

    /// <summary>Answer the first N requests (counted from when the route was set) with <see cref="FailStatusCode"/>.</summary>
    public int FailFirst { get; init; }

    /// <summary>Status of the <see cref="FailFirst"/> failures.</summary>
    public int FailStatusCode { get; init; } = 503;

    /// <summary>Retry-After sent with the <see cref="FailFirst"/> failures.</summary>
    public string? FailRetryAfter { get; init; }

    /// <summary>Extra response headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Serves <paramref name="content"/> with a Content-Length.</summary>
    public static UpstreamRoute Bytes(byte[] content) => new()
    {
        Body = () => new MemoryStream(content, writable: false),
        ContentLength = content.Length,
    };

    /// <summary>Serves a stream opened per request (large bodies without allocating them); <paramref name="contentLength"/> null: chunked.</summary>
    public static UpstreamRoute Stream(Func<Stream> open, long? contentLength) => new() { Body = open, ContentLength = contentLength };

    /// <summary>Answers <paramref name="statusCode"/> with a short text body.</summary>
    public static UpstreamRoute Status(int statusCode, string? retryAfter = null)
    {
        var text = System.Text.Encoding.UTF8.GetBytes($"<html><body>status {statusCode}</body></html>");
        return new()
        {
            StatusCode = statusCode,
            RetryAfter = retryAfter,
            ContentType = "text/html",
            Body = () => new MemoryStream(text, writable: false),
            ContentLength = text.Length,
        };
    }

    /// <summary>Redirects to <paramref name="target"/>.</summary>
    public static UpstreamRoute Redirect(Uri target, int statusCode = 302) => new() { StatusCode = statusCode, Location = target, ContentType = null };
}
