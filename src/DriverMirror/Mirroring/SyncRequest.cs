using System.Text.Json;
using DriverMirror.Catalog;

namespace DriverMirror.Mirroring;

/// <summary>A queue message asking for one driver's sync.</summary>
/// <param name="Name">The driver.</param>
/// <param name="Generation">The spec generation when the request was made (for diagnostics; the sync always mirrors the current spec).</param>
/// <param name="Reason">Who asked: <c>timer</c>, <c>api</c>, <c>cli</c>.</param>
/// <param name="RequestedAt">When.</param>
/// <param name="EarlierDeliveries">
/// Deliveries of earlier messages for this request: a request deferred for an upstream's <c>Retry-After</c> is a new
/// message whose own dequeue count starts again, so the attempts so far travel with it.
/// </param>
/// <param name="With">
/// Further drivers that share an upstream URL with <paramref name="Name"/>: synced in the same run, so that URL is
/// downloaded once (the timer groups them; a request from the API names one driver).
/// </param>
public sealed record SyncRequest(string Name, long Generation, string Reason, DateTimeOffset RequestedAt, long EarlierDeliveries = 0, IReadOnlyList<string>? With = null)
{
    /// <summary>Every driver the request syncs: <see cref="Name"/>, then <see cref="With"/>.</summary>
    public IReadOnlyList<string> Names() => [Name, .. (With ?? []).Where(n => n != Name).Distinct(StringComparer.Ordinal)];

    /// <summary>The same request for only <paramref name="names"/> (those still to retry); the first becomes <see cref="Name"/>.</summary>
    public SyncRequest For(IReadOnlyList<string> names) =>
        this with { Name = names[0], With = names.Count > 1 ? [.. names.Skip(1)] : null };

    /// <summary>The message body.</summary>
    public string ToMessage() => JsonSerializer.Serialize(this, DriverJson.Options);

    /// <summary>Reads a message body; a malformed one is refused so it is not retried.</summary>
    /// <exception cref="MirrorException">Permanent: not a sync request.</exception>
    public static SyncRequest Parse(string message)
    {
        try
        {
            var request = JsonSerializer.Deserialize<SyncRequest>(message, DriverJson.Options);
            if (request is not null && DriverName.IsValid(request.Name) && (request.With ?? []).All(DriverName.IsValid))
            {
                return request;
            }
        }
        catch (JsonException)
        {
        }

        throw MirrorException.Permanent($"Not a sync request: '{(message.Length > 80 ? message[..80] + "…" : message)}'.");
    }
}
