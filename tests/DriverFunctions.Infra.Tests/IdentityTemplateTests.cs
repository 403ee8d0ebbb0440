using DriverFunctions.Infra.Tests.Bicep;
using static DriverFunctions.Infra.Tests.Bicep.PredictedDeployment;

namespace DriverFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class IdentityTemplateTests(InfraTemplate template)
{
    // Built-in role definition ids, the same in every tenant.
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160ff3b";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    [Fact]
    public void Identity_gets_exactly_the_storage_and_telemetry_roles_it_needs_on_exactly_those_resources()
    {
        var deployment = template.Snapshot();
        var storage = (string)deployment.Single(ResourceTypes.StorageAccount)["id"]!;
        var insights = (string)deployment.Single(ResourceTypes.ApplicationInsights)["id"]!;

        var granted = deployment.OfType(ResourceTypes.RoleAssignment)
            .Select(a => (Role: RoleId(a), Scope: ScopeOf(a)))
            .OrderBy(g => g.Role, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            new[]
            {
                (StorageTableDataContributor, storage),
                (MonitoringMetricsPublisher, insights),
                (StorageQueueDataContributor, storage),
                (StorageBlobDataOwner, storage),
            }.OrderBy(g => g.Item1, StringComparer.Ordinal),
            granted);
    }

    [Fact]
    public void Every_role_assignment_is_for_the_apps_user_assigned_identity_as_a_service_principal()
    {
        var deployment = template.Snapshot();
        var identity = (string)deployment.Single(ResourceTypes.UserAssignedIdentity)["id"]!;

        var assignments = deployment.OfType(ResourceTypes.RoleAssignment);

        Assert.NotEmpty(assignments);
        Assert.All(assignments, a =>
        {
            Assert.Equal($"[reference('{identity}', '2024-11-30').principalId]", (string?)Node(a, "properties.principalId"));
            Assert.Equal("ServicePrincipal", (string?)Node(a, "properties.principalType"));
        });
    }

    [Fact]
    public void Function_app_runs_as_that_identity_only()
    {
        var deployment = template.Snapshot();
        var identity = (string)deployment.Single(ResourceTypes.UserAssignedIdentity)["id"]!;
        var app = deployment.Single(ResourceTypes.FunctionApp);

        Assert.Equal("UserAssigned", (string?)Node(app, "identity.type"));
        Assert.Equal([identity], Node(app, "identity.userAssignedIdentities")!.AsObject().Select(p => p.Key));
    }

    private static string RoleId(System.Text.Json.Nodes.JsonObject assignment)
    {
        var definition = (string)Node(assignment, "properties.roleDefinitionId")!;
        Assert.Matches("^/subscriptions/[^/]+/providers/Microsoft.Authorization/roleDefinitions/[0-9a-f-]{36}$", definition);
        return definition.Split('/')[^1];
    }

    /// <summary>An extension resource's id is <c>&lt;scope&gt;/providers/Microsoft.Authorization/roleAssignments/&lt;name&gt;</c>.</summary>
    private static string ScopeOf(System.Text.Json.Nodes.JsonObject assignment)
    {
        var id = (string)assignment["id"]!;
        var marker = id.LastIndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.Ordinal);
        Assert.True(marker > 0, $"Unexpected role assignment id {id}.");
        return id[..marker];
    }
}
