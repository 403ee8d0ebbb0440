using DriverMirror.Catalog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DriverMirror.Mirroring;

/// <summary>
/// Runs one queued <see cref="SyncRequest"/> with the queue's retry rules: a transient failure throws so the queue delivers
/// the message again with backoff, and on the last delivery the record says the request went to the poison queue; a
/// permanent failure is recorded at once and the message is completed.
/// </summary>
public sealed class SyncRequestHandler(MirrorService mirror, DriverCatalog catalog, SyncRequestQueue queue, IOptions<MirrorOptions> options, ILogger<SyncRequestHandler> logger)
{
    /// <summary>How often a sync whose spec changed under it is run again at once, for the new spec.</summary>
    private const int SupersededReruns = 2;

    /// <summary>Processes one message.</summary>
    /// <param name="messageText">The message body.</param>
    /// <param name="dequeueCount">How many times the message has been delivered, this time included.</param>
    /// <param name="retry">The queue's retry rules (host.json <c>extensions:queues</c>).</param>
    /// <param name="cancellationToken">Cancels the sync.</param>
    /// <returns>One outcome per driver of the request; empty for a malformed message, which is dropped.</returns>
    /// <exception cref="MirrorException">Transient: deliver the message again.</exception>
    public async Task<IReadOnlyList<SyncOutcome>> HandleAsync(string messageText, long dequeueCount, QueueRetryRules retry, CancellationToken cancellationToken = default)
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
            return [];
        }

        var outcomes = await SyncAsync(request.Names(), cancellationToken);
        var attempts = request.EarlierDeliveries + dequeueCount;
        foreach (var outcome in outcomes)
        {
            logger.LogInformation(
                "Sync request for {DriverName} ({Reason}, attempt {Attempt}): {Result} {Message}",
                outcome.Name, request.Reason, attempts, outcome.Result, outcome.Message);
        }

        // Busy: the sync holding the lock serves this request too, and retries itself if it fails.
        var retrying = outcomes.Where(o => o.Result == SyncResult.Failed && o.IsTransient).ToList();
        if (retrying.Count == 0)
        {
            return outcomes;
        }

        var retryRequest = request.For([.. retrying.Select(o => o.Name)]);
        if (attempts >= retry.MaxDequeueCount)
        {
            foreach (var outcome in retrying)
            {
                await RecordGaveUpAsync(outcome, attempts, cancellationToken);
            }

            if (dequeueCount < retry.MaxDequeueCount)
            {
                // A deferred message: the host would grant it a full count of its own, so it is poisoned here.
                await queue.SendToPoisonAsync(retryRequest with { EarlierDeliveries = attempts }, cancellationToken);
                return outcomes;
            }
        }
        else if (retrying.Max(o => o.RetryAfter) is { } wait && wait > retry.VisibilityTimeout)
        {
            // Throwing would bring the message back after the visibility timeout, sooner than upstream asked.
            await queue.DeferAsync(retryRequest with { EarlierDeliveries = attempts }, wait, cancellationToken);
            logger.LogInformation("Deferred the sync of {DriverNames} by {Delay} as upstream asked (Retry-After)", string.Join(", ", retryRequest.Names()), wait);
            return outcomes;
        }

        throw MirrorException.Transient($"Sync of '{string.Join("', '", retryRequest.Names())}' will be retried: {string.Join("; ", retrying.Select(o => o.Message))}");
    }

    private async Task<IReadOnlyList<SyncOutcome>> SyncAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var outcomes = names.Count == 1
            ? [await mirror.SyncAsync(names[0], cancellationToken: cancellationToken)]
            : (await mirror.SyncManyAsync(names, options.Value.Parallelism, cancellationToken: cancellationToken)).ToList();
        for (var rerun = 0; rerun < SupersededReruns && outcomes.Any(o => o.Result == SyncResult.Superseded); rerun++)
        {
            // The spec changed during the sync, and nothing else queues a sync for a spec change: run it for the new spec.
            for (var i = 0; i < outcomes.Count; i++)
            {
                if (outcomes[i].Result == SyncResult.Superseded)
                {
                    outcomes[i] = await mirror.SyncAsync(outcomes[i].Name, cancellationToken: cancellationToken);
                }
            }
        }

        return outcomes;
    }

    private async Task RecordGaveUpAsync(SyncOutcome outcome, long attempts, CancellationToken cancellationToken)
    {
        var record = await catalog.FindAsync(outcome.Name, cancellationToken);
        if (record is not null && record.Status.State == DriverState.Failed)
        {
            // Only over this sync's own failure: a sync that succeeded in the meantime keeps its state.
            await catalog.UpdateStatusAsync(outcome.Name, record.Generation, s => s with
            {
                Message = $"Gave up after {attempts} attempts; the request is in queue '{queue.PoisonQueue.Name}'. Last error: {outcome.Message}",
            }, cancellationToken);
        }
    }
}
