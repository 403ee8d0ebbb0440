using DriverFunctions.Http;
using DriverMirror.Storage;

namespace DriverFunctions.Tests.Http;

public sealed class UnexpectedFailureTests
{
    [Fact]
    public async Task A_storage_failure_is_a_500_problem_that_reveals_no_internals()
    {
        var connectionString = HealthTests.UnreachableTableStorage();
        await using var app = FunctionsApp.Create(s => s[StorageClients.DefaultSettingName] = connectionString);

        var response = await app.CallAsync<DriversFunctions>(FunctionsApp.Request("GET", "/api/drivers/hetzner"), (f, r) => f.Get(r, "hetzner"));

        ProblemAssert.IsProblem(response, 500, "/api/drivers/hetzner");
        Assert.DoesNotContain("127.0.0.1", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", response.Body, StringComparison.Ordinal);
    }
}
