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

    /// <summary>
    /// Queues a request for every active driver that has something to mirror: one per driver, except that drivers sharing
    /// an upstream URL (the built-ins of one bundle, say) go in one request, so the queue function downloads it once.
    /// </summary>
    public async Task<IReadOnlyList<SyncRequest>> EnqueueActiveAsync(string reason, CancellationToken cancellationToken = default)
    {
        var mirrored = await catalog.ListAsync(new DriverQuery { Active = true }, cancellationToken)
            .Where(r => DriverCatalog.DescribeIdle(r.Spec) is null)
            .ToListAsync(cancellationToken);
        var sent = new List<SyncRequest>();
        foreach (var group in GroupBySharedUpstream(mirrored))
        {
            await ensureQueue.RunAsync(cancellationToken);
            var request = new SyncRequest(group[0].Name, group[0].Generation, reason, time.GetUtcNow(), With: group.Count > 1 ? [.. group.Skip(1).Select(r => r.Name)] : null);
            await Queue.SendMessageAsync(request.ToMessage(), cancellationToken);
            sent.Add(request);
        }

        logger.LogInformation("Queued {Count} sync requests for {Drivers} drivers ({Reason})", sent.Count, mirrored.Count, reason);
        return sent;
    }

    /// <summary>Groups records so that any two sharing an upstream URL (of any platform) are in the same group, in list order.</summary>
    internal static List<List<DriverRecord>> GroupBySharedUpstream(IEnumerable<DriverRecord> records)
    {
        var groups = new List<List<DriverRecord>>();
        var groupOfUrl = new Dictionary<string, List<DriverRecord>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var urls = record.Spec.Sources().Select(s => s.Value.Url!).ToList();
            var joined = urls.Where(groupOfUrl.ContainsKey).Select(u => groupOfUrl[u]).Distinct().ToList();
            var group = joined.Count > 0 ? joined[0] : [];
            if (joined.Count == 0)
            {
                groups.Add(group);
            }

            foreach (var other in joined.Skip(1))
            {
                // This record bridges two groups: merge them.
                group.AddRange(other);
                groups.Remove(other);
                foreach (var url in groupOfUrl.Where(g => g.Value == other).Select(g => g.Key).ToList())
                {
                    groupOfUrl[url] = group;
                }
            }

            group.Add(record);
            foreach (var url in urls)
            {
                groupOfUrl[url] = group;
            }
        }

        return groups;
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
