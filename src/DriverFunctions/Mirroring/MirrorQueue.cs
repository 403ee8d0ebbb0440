using Azure.Storage.Queues.Models;
using DriverMirror.Mirroring;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace DriverFunctions.Mirroring;

/// <summary>Runs one driver's sync per queue message; transient failures throw so the host retries, then poisons.</summary>
public sealed class MirrorQueue(SyncRequestHandler handler, IOptions<QueueRetryRules> retry)
{
    [Function(nameof(MirrorQueue))]
    public Task Run(
        [QueueTrigger("%Mirror:QueueName%", Connection = "AzureWebJobsStorage")] QueueMessage message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message.MessageText, message.DequeueCount, retry.Value, cancellationToken);
}
