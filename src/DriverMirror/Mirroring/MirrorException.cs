namespace DriverMirror.Mirroring;

/// <summary>
/// A sync failure with its retry class: transient failures (connection reset, timeout, 5xx, 429) are worth retrying with
/// backoff; permanent ones (404/410, refused content, checksum mismatch, blocked address) are recorded at once.
/// </summary>
public sealed class MirrorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MirrorException(string message, bool transient, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = transient;
        RetryAfter = retryAfter;
    }

    /// <summary>Whether retrying later may succeed.</summary>
    public bool IsTransient { get; }

    /// <summary>How long the upstream asked us to wait (HTTP 429/503 Retry-After), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The HTTP status the upstream answered, when the failure is that answer (a 404, say).</summary>
    public int? UpstreamStatus { get; init; }

    /// <summary>A failure that retrying will not fix.</summary>
    public static MirrorException Permanent(string message, Exception? innerException = null) => new(message, transient: false, innerException: innerException);

    /// <summary>A failure that may go away.</summary>
    public static MirrorException Transient(string message, TimeSpan? retryAfter = null, Exception? innerException = null) => new(message, transient: true, retryAfter, innerException);
}
