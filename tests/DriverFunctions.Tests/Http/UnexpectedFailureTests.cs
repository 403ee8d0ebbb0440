using DriverFunctions.Http;
using DriverMirror.Storage;
using DriverMirror.Testing;

namespace DriverFunctions.Tests.Http;

public sealed class UnexpectedFailureTests
{
    [Fact]
    public async Task Unreachable_storage_is_a_503_problem_that_reveals_no_internals()
    {
        var connectionString = HealthTests.UnreachableTableStorage();
        await using var app = FunctionsApp.Create(s => s[StorageClients.DefaultSettingName] = connectionString);

        var response = await app.CallAsync<DriversFunctions>(FunctionsApp.Request("GET", "/api/drivers/hetzner"), (f, r) => f.Get(r, "hetzner"));

        var problem = ProblemAssert.IsProblem(response, 503, "/api/drivers/hetzner");
        Assert.Equal("Storage unavailable.", problem["title"]!.GetValue<string>());
        Assert.DoesNotContain("127.0.0.1", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_refusing_the_apps_credentials_is_a_500_problem_that_reveals_no_internals()
    {
        // A misconfigured key is the operator's problem, not a passing outage: 500, with the details only in the log.
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var connectionString = System.Text.RegularExpressions.Regex.Replace(AzuriteServer.Shared.ConnectionString, "AccountKey=[^;]+", "AccountKey=" + wrongKey);
        await using var app = FunctionsApp.Create(s => s[StorageClients.DefaultSettingName] = connectionString);

        var response = await app.CallAsync<DriversFunctions>(FunctionsApp.Request("GET", "/api/drivers/hetzner"), (f, r) => f.Get(r, "hetzner"));

        var problem = ProblemAssert.IsProblem(response, 500, "/api/drivers/hetzner");
        Assert.Equal("Unexpected error.", problem["title"]!.GetValue<string>());
        Assert.DoesNotContain(wrongKey, response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", response.Body, StringComparison.Ordinal);
    }
}
