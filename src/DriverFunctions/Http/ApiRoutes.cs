namespace DriverFunctions.Http;

/// <summary>
/// The routes of the HTTP API, shared by the trigger attributes and the OpenAPI document so the two cannot drift.
/// Routes are relative to <see cref="Prefix"/> (<c>extensions.http.routePrefix</c> in host.json).
/// </summary>
public static class ApiRoutes
{
    /// <summary>The route prefix the Functions host puts in front of every route (host.json).</summary>
    public const string Prefix = "/api";

    public const string Health = "health";
    public const string OpenApi = "openapi.json";
    public const string Drivers = "drivers";
    public const string Driver = "drivers/{name}";
    public const string ActivateDriver = "drivers/{name}/activate";
    public const string DeactivateDriver = "drivers/{name}/deactivate";
    public const string CatalogImport = "catalog/import";
    public const string SyncDriver = "drivers/{name}/sync";
    public const string SyncAll = "sync";
    public const string RancherNodeDrivers = "rancher/nodedrivers";
    public const string RancherKontainerDrivers = "rancher/kontainerdrivers";

    /// <summary>The absolute path of a driver, for <c>Location</c> headers.</summary>
    public static string DriverPath(string name) => $"{Prefix}/drivers/{Uri.EscapeDataString(name)}";
}
