using Azure;
using Azure.Data.Tables;
using DriverMirror;
using DriverMirror.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DriverFunctions.Http;

/// <summary>
/// Whether the drivers table answers: one query for at most one entity. A table not created yet still counts as
/// reachable (the catalog creates it on first use); an unreachable or refusing service does not.
/// </summary>
public sealed class DriverTableHealthCheck(StorageClients storage, IOptions<MirrorOptions> options) : IHealthCheck
{
    public const string Name = "drivers-table";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var table = storage.Tables.GetTableClient(options.Value.TableName);
        try
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages())
            {
                break;
            }

            return HealthCheckResult.Healthy("The drivers table is reachable.");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return HealthCheckResult.Healthy("Table storage is reachable; the drivers table is created on first use.");
        }
    }
}
