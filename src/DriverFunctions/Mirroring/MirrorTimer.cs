using DriverMirror.Mirroring;
using Microsoft.Azure.Functions.Worker;

namespace DriverFunctions.Mirroring;

/// <summary>On the <c>Mirror:Schedule</c> app setting, queues one sync request per active driver.</summary>
public sealed class MirrorTimer(SyncRequestQueue queue)
{
    [Function(nameof(MirrorTimer))]
    public Task Run([TimerTrigger("%Mirror:Schedule%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken) =>
        queue.EnqueueActiveAsync("timer", cancellationToken);
}
