using DriverMirror.Catalog;
using Microsoft.Extensions.Logging;

namespace DriverMirror.Mirroring;

/// <summary>
/// Runs one queued <see cref="SyncRequest"/> with the queue's retry rules: a transient failure throws so the queue delivers
/// the message again with backoff, and on the last delivery the record says the request went to the poison queue; a
/// permanent failure is recorded at once and the message is completed.
/// </summary>
public sealed class SyncRequestHandler(MirrorService mirror, DriverCatalog catalog, SyncRequestQueue queue, ILogger<SyncRequestHandler> logger)
{
    /// <summary>Processes one message.</summary>
    /// <param name="messageText">The message body.</param>
    /// <param name="dequeueCount">How many times the message has been delivered, this time included.</param>
    /// <param name="retry">The queue's retry rules (host.json <c>extensions:queues</c>).</param>
    /// <param name="cancellationToken">Cancels the sync.</param>
    /// <exception cref="MirrorException">Transient: deliver the message again.</exception>
    public async Task<SyncOutcome?> HandleAsync(string messageText, long dequeueCount, QueueRetryRules retry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(retry);
        SyncRequest request;
        try
        {
            request = SyncRequest.Parse(messageText);
        }
        catch (MirrorException e)
        {
            logger.LogError("Dropping a malformed sync request: {Reason}", e.Message);
            return null;
        }

        var outcome = await mirror.SyncAsync(request.Name, cancellationToken: cancellationToken);
        var attempts = request.EarlierDeliveries + dequeueCount;
        logger.LogInformation(
            "Sync request for {DriverName} ({Reason}, attempt {Attempt}): {Result} {Message}",
            request.Name, request.Reason, attempts, outcome.Result, outcome.Message);
        if (outcome.Succeeded || !outcome.IsTransient)
        {
            return outcome;
        }

        if (attempts >= retry.MaxDequeueCount)
        {
            await RecordGaveUpAsync(request.Name, attempts, outcome, cancellationToken);
            if (dequeueCount < retry.MaxDequeueCount)
            {
                // A deferred message: the host would grant it a full count of its own, so it is poisoned here.
                await queue.SendToPoisonAsync(request with { EarlierDeliveries = attempts }, cancellationToken);
                return outcome;
            }
        }
        else if (outcome.RetryAfter is { } wait && wait > retry.VisibilityTimeout)
        {
            // Throwing would bring the message back after the visibility timeout, sooner than upstream asked.
            await queue.DeferAsync(request with { EarlierDeliveries = attempts }, wait, cancellationToken);
            logger.LogInformation("Deferred the sync of {DriverName} by {Delay} as upstream asked (Retry-After)", request.Name, wait);
            return outcome;
        }

        throw MirrorException.Transient($"Sync of '{request.Name}' will be retried: {outcome.Message}");
    }

    private async Task RecordGaveUpAsync(string name, long attempts, SyncOutcome outcome, CancellationToken cancellationToken)
    {
        var record = await catalog.FindAsync(name, cancellationToken);
        if (record is not null)
        {
            await catalog.UpdateStatusAsync(name, record.Generation, s => s with
            {
                State = DriverState.Failed,
                Message = $"Gave up after {attempts} attempts; the request is in queue '{queue.PoisonQueue.Name}'. Last error: {outcome.Message}",
            }, cancellationToken);
        }
    }
}
