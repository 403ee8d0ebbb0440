using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace DriverMirror.Catalog;

/// <summary>
/// Maps a <see cref="DriverRecord"/> to one table entity. Scalar fields are columns so they can be filtered on;
/// lists, maps and the status are JSON columns.
/// </summary>
internal static class DriverTableEntity
{
    // One partition: the API addresses drivers by name alone, so the name must be unique across kinds,
    // and only a shared partition makes the duplicate-insert check atomic.
    public const string Partition = "driver";

    public static TableEntity ToEntity(DriverRecord record)
    {
        var spec = record.Spec;
        var entity = new TableEntity(Partition, spec.Name)
        {
            ["Kind"] = DriverTableWords.Of(spec.Kind),
            ["DisplayName"] = spec.DisplayName,
            ["Description"] = spec.Description,
            ["Builtin"] = spec.Builtin,
            ["Active"] = spec.Active,
            ["Url"] = spec.Url,
            ["Checksum"] = spec.Checksum,
            ["Platforms"] = spec.Platforms is { Count: > 0 } ? JsonSerializer.Serialize(spec.Platforms, DriverJson.Options) : null,
            ["UiUrl"] = spec.UiUrl,
            ["WhitelistDomains"] = spec.WhitelistDomains is { Count: > 0 } ? JsonSerializer.Serialize(spec.WhitelistDomains, DriverJson.Options) : null,
            ["AddCloudCredential"] = spec.AddCloudCredential,
            ["Generation"] = record.Generation,
            ["CreatedAt"] = record.CreatedAt,
            ["UpdatedAt"] = record.UpdatedAt,
            ["State"] = DriverTableWords.Of(record.Status.State),
            ["Status"] = JsonSerializer.Serialize(record.Status, DriverJson.Options),
        };
        if (!string.IsNullOrEmpty(record.ETag))
        {
            entity.ETag = new ETag(record.ETag);
        }

        return entity;
    }

    public static DriverRecord FromEntity(TableEntity entity)
    {
        var spec = new DriverSpec
        {
            Name = entity.RowKey,
            Kind = Enum.Parse<DriverKind>(entity.GetString("Kind") ?? "node", ignoreCase: true),
            DisplayName = entity.GetString("DisplayName"),
            Description = entity.GetString("Description"),
            Builtin = entity.GetBoolean("Builtin") ?? false,
            Active = entity.GetBoolean("Active") ?? false,
            Url = entity.GetString("Url"),
            Checksum = entity.GetString("Checksum"),
            Platforms = ReadJson<Dictionary<string, PlatformSource>>(entity, "Platforms"),
            UiUrl = entity.GetString("UiUrl"),
            WhitelistDomains = ReadJson<List<string>>(entity, "WhitelistDomains"),
            AddCloudCredential = entity.GetBoolean("AddCloudCredential") ?? false,
        };
        return new DriverRecord
        {
            Spec = spec,
            Generation = entity.GetInt64("Generation") ?? 1,
            CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? default,
            Status = ReadJson<DriverStatus>(entity, "Status") ?? new DriverStatus(),
            ETag = entity.ETag.ToString(),
        };
    }

    private static T? ReadJson<T>(TableEntity entity, string column)
        where T : class => entity.GetString(column) is { Length: > 0 } json ? JsonSerializer.Deserialize<T>(json, DriverJson.Options) : null;
}
