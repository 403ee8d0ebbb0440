using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using DriverMirror.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DriverMirror.Catalog;

/// <summary>
/// The driver records in Azure Table storage. Every write is an ETag-guarded read-modify-write, so concurrent
/// edits and status updates never lose each other's changes.
/// </summary>
public sealed class DriverCatalog
{
    private const int MaxWriteAttempts = 8;

    private readonly TableClient table;
    private readonly TimeProvider time;
    private readonly ILogger<DriverCatalog> logger;
    private readonly OnceAsync ensureTable;

    /// <summary>Creates the catalog over the table named by <see cref="MirrorOptions.TableName"/>.</summary>
    public DriverCatalog(StorageClients storage, IOptions<MirrorOptions> options, TimeProvider time, ILogger<DriverCatalog> logger)
    {
        table = storage.Tables.GetTableClient(options.Value.TableName);
        this.time = time;
        this.logger = logger;
        ensureTable = new OnceAsync(ct => table.CreateIfNotExistsAsync(ct));
    }

    /// <summary>Returns the driver, or <see langword="null"/> when there is none of that name.</summary>
    public async Task<DriverRecord?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!DriverName.IsValid(name))
        {
            return null;
        }

        await ensureTable.RunAsync(cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(DriverTableEntity.Partition, name, cancellationToken: cancellationToken);
        return response.HasValue ? DriverTableEntity.FromEntity(response.Value!) : null;
    }

    /// <summary>Returns the driver or throws <see cref="DriverNotFoundException"/>.</summary>
    public async Task<DriverRecord> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await FindAsync(name, cancellationToken) ?? throw new DriverNotFoundException(name);

    /// <summary>Lists drivers in name order, filtered on the server.</summary>
    public async IAsyncEnumerable<DriverRecord> ListAsync(DriverQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await ensureTable.RunAsync(cancellationToken);
        var filters = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {DriverTableEntity.Partition}") };
        if (query.Kind is { } kind)
        {
            filters.Add(TableClient.CreateQueryFilter($"Kind eq {DriverTableWords.Of(kind)}"));
        }

        if (query.Active is { } active)
        {
            filters.Add(TableClient.CreateQueryFilter($"Active eq {active}"));
        }

        if (query.State is { } state)
        {
            filters.Add(TableClient.CreateQueryFilter($"State eq {DriverTableWords.Of(state)}"));
        }

        await foreach (var entity in table.QueryAsync<TableEntity>(string.Join(" and ", filters), cancellationToken: cancellationToken))
        {
            yield return DriverTableEntity.FromEntity(entity);
        }
    }

    /// <summary>Creates a driver; throws <see cref="DriverConflictException"/> when the name is taken.</summary>
    public async Task<DriverRecord> CreateAsync(DriverSpec spec, CancellationToken cancellationToken = default)
    {
        spec = Normalize(spec);
        DriverSpecValidator.ThrowIfInvalid(spec);
        await ensureTable.RunAsync(cancellationToken);
        var now = time.GetUtcNow();
        var record = new DriverRecord
        {
            Spec = spec,
            Generation = 1,
            CreatedAt = now,
            UpdatedAt = now,
            Status = StatusAfterSpecChange(spec, new DriverStatus(), 1),
        };
        try
        {
            var response = await table.AddEntityAsync(DriverTableEntity.ToEntity(record), cancellationToken);
            logger.LogInformation("Created driver {DriverName} ({DriverKind})", spec.Name, spec.Kind);
            return record with { ETag = response.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw new DriverConflictException(spec.Name);
        }
    }

    /// <summary>
    /// Creates the driver or replaces its spec (status is kept). With <paramref name="ifMatch"/> the write succeeds only
    /// if the record still has that ETag (<c>*</c>: only if it exists).
    /// </summary>
    /// <returns>The stored record and whether it was created.</returns>
    public async Task<(DriverRecord Record, bool Created)> PutAsync(DriverSpec spec, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        spec = Normalize(spec);
        DriverSpecValidator.ThrowIfInvalid(spec);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await FindAsync(spec.Name, cancellationToken);
            if (existing is null)
            {
                if (ifMatch is not null)
                {
                    throw new DriverPreconditionFailedException(spec.Name);
                }

                try
                {
                    return (await CreateAsync(spec, cancellationToken), true);
                }
                catch (DriverConflictException) when (attempt < MaxWriteAttempts)
                {
                    continue;
                }
            }

            try
            {
                return (await ReplaceSpecAsync(existing, spec, ifMatch, cancellationToken), false);
            }
            catch (DriverPreconditionFailedException) when (RetriesOnConflict(ifMatch) && attempt < MaxWriteAttempts)
            {
            }
        }
    }

    /// <summary>Applies an RFC 7396 JSON merge patch to the driver's spec.</summary>
    public Task<DriverRecord> PatchAsync(string name, JsonNode? mergePatch, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        UpdateSpecAsync(name, ifMatch, spec =>
        {
            var patched = DriverJson.ApplyMergePatch(spec, mergePatch);
            return patched.Name == name ? patched : throw DriverValidationException.For("name", "cannot be changed; create a new driver instead.");
        }, cancellationToken);

    /// <summary>Activates or deactivates the driver.</summary>
    public Task<DriverRecord> SetActiveAsync(string name, bool active, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        UpdateSpecAsync(name, ifMatch, spec => spec with { Active = active }, cancellationToken);

    /// <summary>
    /// Changes the spec through <paramref name="change"/>, retrying on concurrent writes unless the caller pinned an ETag.
    /// With <paramref name="ifMatch"/> (an ETag or <c>*</c>) a missing driver is <see cref="DriverPreconditionFailedException"/>
    /// (RFC 9110: the precondition is false when there is no current record), otherwise <see cref="DriverNotFoundException"/>.
    /// </summary>
    public async Task<DriverRecord> UpdateSpecAsync(string name, string? ifMatch, Func<DriverSpec, DriverSpec> change, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await GetForWriteAsync(name, ifMatch, cancellationToken);
            var spec = Normalize(change(existing.Spec));
            DriverSpecValidator.ThrowIfInvalid(spec);
            try
            {
                return await ReplaceSpecAsync(existing, spec, ifMatch, cancellationToken);
            }
            catch (DriverPreconditionFailedException) when (RetriesOnConflict(ifMatch) && attempt < MaxWriteAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Deletes the driver. Its published artifacts stay in the web root (URLs Rancher holds must keep working).
    /// <paramref name="ifMatch"/> is compared here, as for the other writes, and the delete is pinned to the ETag that was read.
    /// </summary>
    public async Task DeleteAsync(string name, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await GetForWriteAsync(name, ifMatch, cancellationToken);
            try
            {
                await table.DeleteEntityAsync(DriverTableEntity.Partition, name, new ETag(existing.ETag), cancellationToken);
                logger.LogInformation("Deleted driver {DriverName} at generation {Generation}", name, existing.Generation);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && RetriesOnConflict(ifMatch) && attempt < MaxWriteAttempts)
            {
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                throw new DriverPreconditionFailedException(name);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new DriverNotFoundException(name);
            }
        }
    }

    /// <summary>The record a write starts from, with <paramref name="ifMatch"/> checked against it.</summary>
    private async Task<DriverRecord> GetForWriteAsync(string name, string? ifMatch, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(name, cancellationToken);
        if (existing is null)
        {
            throw ifMatch is null ? new DriverNotFoundException(name) : new DriverPreconditionFailedException(name);
        }

        return Matches(existing, ifMatch) ? existing : throw new DriverPreconditionFailedException(name);
    }

    private static bool Matches(DriverRecord existing, string? ifMatch) => ifMatch is null or "*" || ifMatch == existing.ETag;

    /// <summary>Without a pinned ETag (none, or <c>*</c>) a concurrent write, such as a sync's status, is retried over a fresh read.</summary>
    private static bool RetriesOnConflict(string? ifMatch) => ifMatch is null or "*";

    /// <summary>
    /// Replaces the status of the driver if its spec is still at <paramref name="generation"/>; a sync that raced with a
    /// spec edit must not record results for a spec that no longer exists.
    /// </summary>
    /// <returns>The updated record, or <see langword="null"/> when the driver is gone or its spec moved on.</returns>
    public async Task<DriverRecord?> UpdateStatusAsync(string name, long generation, Func<DriverStatus, DriverStatus> change, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await FindAsync(name, cancellationToken);
            if (existing is null || existing.Generation != generation)
            {
                logger.LogInformation("Discarding status of {DriverName} for generation {Generation}: the record moved on", name, generation);
                return null;
            }

            var updated = existing with { Status = change(existing.Status) };
            try
            {
                return await WriteAsync(updated, existing.ETag, cancellationToken);
            }
            catch (DriverPreconditionFailedException) when (attempt < MaxWriteAttempts)
            {
            }
        }
    }

    private async Task<DriverRecord> ReplaceSpecAsync(DriverRecord existing, DriverSpec spec, string? ifMatch, CancellationToken cancellationToken)
    {
        if (!Matches(existing, ifMatch))
        {
            throw new DriverPreconditionFailedException(spec.Name);
        }

        if (JsonNode.DeepEquals(DriverJson.SpecToJson(existing.Spec), DriverJson.SpecToJson(spec)))
        {
            return existing;
        }

        var generation = existing.Generation + 1;
        var updated = existing with
        {
            Spec = spec,
            Generation = generation,
            UpdatedAt = time.GetUtcNow(),
            Status = StatusAfterSpecChange(spec, existing.Status, generation),
        };
        var stored = await WriteAsync(updated, existing.ETag, cancellationToken);
        logger.LogInformation("Updated driver {DriverName} to generation {Generation}", spec.Name, generation);
        return stored;
    }

    private async Task<DriverRecord> WriteAsync(DriverRecord record, string etag, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.UpdateEntityAsync(DriverTableEntity.ToEntity(record), new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            return record with { ETag = response.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new DriverPreconditionFailedException(record.Name);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new DriverNotFoundException(record.Name);
        }
    }

    /// <summary>What a spec change does to the status: published artifacts stay, the state says what happens next.</summary>
    private static DriverStatus StatusAfterSpecChange(DriverSpec spec, DriverStatus status, long generation)
    {
        var (state, message) = DescribeIdle(spec) is { } idle
            ? (DriverState.Disabled, idle)
            : (DriverState.Pending, generation == 1 ? "Waiting for the first sync." : "Spec changed; waiting for the next sync.");
        // A spec edit is the operator's answer to an upstream change, so the signal is cleared with it.
        return status with { State = state, Message = message, UpstreamChanged = generation > 1 ? false : status.UpstreamChanged };
    }

    /// <summary>Why the mirror has nothing to do for <paramref name="spec"/>, or <see langword="null"/> when it has.</summary>
    public static string? DescribeIdle(DriverSpec spec) =>
        !spec.Active ? "Inactive: not mirrored."
        : spec.IsLocal ? "Built into Rancher (local://): nothing to mirror."
        : !spec.Sources().Any() ? "No upstream URL: nothing to mirror."
        : null;

    /// <summary>The canonical form stored: trimmed, lower-case checksums, empty collections as absent, <c>local://</c> in lower case (and for a built-in without URL).</summary>
    public static DriverSpec Normalize(DriverSpec spec) => spec with
    {
        Url = string.IsNullOrWhiteSpace(spec.Url) ? (spec.Builtin ? DriverSpec.LocalUrl : null)
            : string.Equals(spec.Url.Trim(), DriverSpec.LocalUrl, StringComparison.OrdinalIgnoreCase) ? DriverSpec.LocalUrl
            : spec.Url.Trim(),
        Checksum = string.IsNullOrWhiteSpace(spec.Checksum) ? null : spec.Checksum.Trim().ToLowerInvariant(),
        DisplayName = string.IsNullOrWhiteSpace(spec.DisplayName) ? null : spec.DisplayName,
        Description = string.IsNullOrWhiteSpace(spec.Description) ? null : spec.Description,
        UiUrl = string.IsNullOrWhiteSpace(spec.UiUrl) ? null : spec.UiUrl.Trim(),
        Platforms = spec.Platforms is { Count: > 0 }
            ? spec.Platforms.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(
                p => p.Key,
                p => p.Value is null ? null! : p.Value with { Checksum = string.IsNullOrWhiteSpace(p.Value.Checksum) ? null : p.Value.Checksum.Trim().ToLowerInvariant() },
                StringComparer.Ordinal)
            : null,
        WhitelistDomains = spec.WhitelistDomains is { Count: > 0 } ? spec.WhitelistDomains.ToList() : null,
    };
}
