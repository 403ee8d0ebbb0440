namespace DriverFunctions.Infra.Tests;

/// <summary>
/// Azure built-in role definition ids, the same in every tenant, copied by hand from
/// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (each role's page shows its "ID").
/// This is the one independent source the tests check the template against: never fill it from infra/.
/// </summary>
public static class BuiltInRoles
{
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    /// <summary>Role name, as Azure spells it, to role definition id.</summary>
    public static IReadOnlyDictionary<string, string> ByName { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Storage Blob Data Owner"] = StorageBlobDataOwner,
        ["Storage Queue Data Contributor"] = StorageQueueDataContributor,
        ["Storage Table Data Contributor"] = StorageTableDataContributor,
        ["Monitoring Metrics Publisher"] = MonitoringMetricsPublisher,
    };
}
