namespace DriverMirror.Mirroring;

/// <summary>How the queue host retries a sync request (host.json <c>extensions:queues</c>).</summary>
public sealed class QueueRetryRules
{
    /// <summary>The delivery after which a failing message goes to the poison queue.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a failed message stays invisible before its next delivery.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
