namespace DriverFunctions.Mirroring;

/// <summary>
/// The queue extension's retry settings, read from host.json itself (<c>extensions:queues</c>) so the function knows which
/// delivery is the last before the poison queue without a second copy of the number.
/// </summary>
public sealed class QueueRetrySettings
{
    public const string SectionName = "extensions:queues";

    public int MaxDequeueCount { get; set; } = 5;
}
