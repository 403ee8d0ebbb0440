using DriverFunctions.Http;
using DriverMirror.Storage;
using DriverMirror.Testing;

namespace DriverFunctions.Tests.Http;

public sealed class HealthTests
{
    private static Task<ApiResponse> HealthAsync(FunctionsApp app) =>
        app.CallAsync<HealthFunction>(FunctionsApp.Request("GET", "/api/health"), (f, r) => f.Run(r));

    /// <summary>The shared Azurite's connection string with the table endpoint moved to a loopback port nobody listens on.</summary>
    public static string UnreachableTableStorage()
    {
        var azurite = AzuriteServer.Shared;
        return azurite.ConnectionString.Replace($"127.0.0.1:{azurite.TablePort}/", $"127.0.0.1:{Loopback.ClosedPort()}/", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_is_200_healthy_when_the_drivers_table_is_reachable()
    {
        await using var app = FunctionsApp.Create();

        var response = await HealthAsync(app);

        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal("healthy", response.Json["status"]!.GetValue<string>());
        Assert.Equal("healthy", response.Json["checks"]![DriverTableHealthCheck.Name]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_stays_200_once_the_drivers_table_exists()
    {
        await using var app = FunctionsApp.Create();
        await app.SeedAsync("hetzner");

        var response = await HealthAsync(app);

        Assert.Equal(200, response.Status);
        Assert.Equal("The drivers table is reachable.", response.Json["checks"]![DriverTableHealthCheck.Name]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_is_a_503_problem_when_table_storage_is_unreachable_and_reveals_no_endpoint()
    {
        var connectionString = UnreachableTableStorage();
        await using var app = FunctionsApp.Create(s => s[StorageClients.DefaultSettingName] = connectionString);

        var response = await HealthAsync(app);

        var problem = ProblemAssert.IsProblem(response, 503, "/api/health");
        Assert.Equal("unhealthy", problem["checks"]![DriverTableHealthCheck.Name]!["status"]!.GetValue<string>());
        Assert.DoesNotContain("127.0.0.1", response.Body, StringComparison.Ordinal);
    }
}
