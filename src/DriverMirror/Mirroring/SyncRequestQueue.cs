using Azure.Storage.Queues;
using DriverMirror.Catalog;
using DriverMirror.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DriverMirror.Mirroring;

/// <summary>The <c>mirror-requests</c> queue: the timer and the HTTP API put sync requests on it; the queue function runs them.</summary>
public sealed class SyncRequestQueue
{
    private readonly DriverCatalog catalog;
    private readonly TimeProvider time;
    private readonly ILogger<SyncRequestQueue> logger;
    private readonly OnceAsync ensureQueue;

    /// <summary>Creates the queue client for <see cref="MirrorOptions.QueueName"/>.</summary>
    public SyncRequestQueue(DriverCatalog catalog, StorageClients storage, IOptions<MirrorOptions> options, TimeProvider time, ILogger<SyncRequestQueue> logger)
    {
        this.catalog = catalog;
        this.time = time;
        this.logger = logger;
        Queue = storage.Queues.GetQueueClient(options.Value.QueueName);
        PoisonQueue = storage.Queues.GetQueueClient(options.Value.QueueName + "-poison");
        ensureQueue = new OnceAsync(async ct =>
        {
            await Queue.CreateIfNotExistsAsync(cancellationToken: ct);
            await PoisonQueue.CreateIfNotExistsAsync(cancellationToken: ct);
        });
    }

    /// <summary>The request queue (base64 messages, as the Functions trigger expects).</summary>
    public QueueClient Queue { get; }

    /// <summary>Where the Functions host moves messages that failed <c>maxDequeueCount</c> times.</summary>
    public QueueClient PoisonQueue { get; }

    /// <summary>Queues a sync of one driver.</summary>
    /// <exception cref="DriverNotFoundException">No such driver.</exception>
    public async Task<SyncRequest> EnqueueAsync(string name, string reason, CancellationToken cancellationToken = default)
    {
        var record = await catalog.GetAsync(name, cancellationToken);
        return await SendAsync(record, reason, cancellationToken);
    }

    /// <summary>Queues one request per active driver that has something to mirror.</summary>
    public async Task<IReadOnlyList<SyncRequest>> EnqueueActiveAsync(string reason, CancellationToken cancellationToken = default)
    {
        var sent = new List<SyncRequest>();
        await foreach (var record in catalog.ListAsync(new DriverQuery { Active = true }, cancellationToken))
        {
            if (DriverCatalog.DescribeIdle(record.Spec) is null)
            {
                sent.Add(await SendAsync(record, reason, cancellationToken));
            }
        }

        logger.LogInformation("Queued {Count} sync requests ({Reason})", sent.Count, reason);
        return sent;
    }

    /// <summary>
    /// Queues <paramref name="request"/> again, invisible for <paramref name="delay"/> (at most <see cref="MaxDeferral"/>):
    /// how a request honours an upstream's <c>Retry-After</c> that is longer than the queue's own retry delay.
    /// </summary>
    public async Task DeferAsync(SyncRequest request, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await ensureQueue.RunAsync(cancellationToken);
        var visibility = delay > MaxDeferral ? MaxDeferral : delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        await Queue.SendMessageAsync(request.ToMessage(), visibility, timeToLive: null, cancellationToken);
    }

    /// <summary>Puts <paramref name="request"/> on the poison queue, as the host does after <c>maxDequeueCount</c> deliveries.</summary>
    public async Task SendToPoisonAsync(SyncRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await ensureQueue.RunAsync(cancellationToken);
        await PoisonQueue.SendMessageAsync(request.ToMessage(), cancellationToken);
    }

    /// <summary>The longest an upstream's <c>Retry-After</c> defers a request; beyond it the next timer run comes soon anyway.</summary>
    public static TimeSpan MaxDeferral { get; } = TimeSpan.FromHours(1);

    private async Task<SyncRequest> SendAsync(DriverRecord record, string reason, CancellationToken cancellationToken)
    {
        await ensureQueue.RunAsync(cancellationToken);
        var request = new SyncRequest(record.Name, record.Generation, reason, time.GetUtcNow());
        await Queue.SendMessageAsync(request.ToMessage(), cancellationToken);
        return request;
    }
}
