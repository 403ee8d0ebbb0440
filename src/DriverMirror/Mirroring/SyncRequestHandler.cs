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
    /// <param name="maxDequeueCount">The delivery after which the host moves the message to the poison queue.</param>
    /// <param name="cancellationToken">Cancels the sync.</param>
    /// <exception cref="MirrorException">Transient: deliver the message again.</exception>
    public async Task<SyncOutcome?> HandleAsync(string messageText, long dequeueCount, int maxDequeueCount, CancellationToken cancellationToken = default)
    {
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
        logger.LogInformation(
            "Sync request for {DriverName} ({Reason}, delivery {DequeueCount}): {Result} {Message}",
            request.Name, request.Reason, dequeueCount, outcome.Result, outcome.Message);
        if (outcome.Succeeded || !outcome.IsTransient)
        {
            return outcome;
        }

        if (dequeueCount >= maxDequeueCount)
        {
            var record = await catalog.FindAsync(request.Name, cancellationToken);
            if (record is not null)
            {
                await catalog.UpdateStatusAsync(request.Name, record.Generation, s => s with
                {
                    State = DriverState.Failed,
                    Message = $"Gave up after {dequeueCount} attempts; the request is in queue '{queue.PoisonQueue.Name}'. Last error: {outcome.Message}",
                }, cancellationToken);
            }
        }

        throw MirrorException.Transient($"Sync of '{request.Name}' will be retried: {outcome.Message}");
    }
}
