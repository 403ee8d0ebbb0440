using System.Text.Json.Nodes;
using DriverFunctions.Infra.Tests.Bicep;
using static DriverFunctions.Infra.Tests.Bicep.PredictedDeployment;

namespace DriverFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class IdentityTemplateTests(InfraTemplate template)
{
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
                (BuiltInRoles.StorageTableDataContributor, storage),
                (BuiltInRoles.MonitoringMetricsPublisher, insights),
                (BuiltInRoles.StorageQueueDataContributor, storage),
                (BuiltInRoles.StorageBlobDataOwner, storage),
            }.OrderBy(g => g.Item1, StringComparer.Ordinal),
            granted);
    }

    [Fact]
    public void Every_role_id_in_rbac_bicep_is_the_built_in_role_its_name_says()
    {
        var roles = Node(template.CompiledModule("rbac"), "properties.template.variables.roles")!.AsObject();

        Assert.NotEmpty(roles);
        Assert.All(roles, role =>
        {
            var name = RoleName(role.Key);
            Assert.True(BuiltInRoles.ByName.TryGetValue(name, out var expected), $"rbac.bicep names role '{name}', which BuiltInRoles does not list.");
            Assert.True(
                expected == (string?)role.Value,
                $"rbac.bicep gives '{name}' the id {role.Value}; the built-in role's id is {expected}. A wrong id fails the deployment with RoleDefinitionDoesNotExist.");
        });
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

    /// <summary><c>storageTableDataContributor</c> → <c>Storage Table Data Contributor</c>.</summary>
    private static string RoleName(string camelCase) =>
        string.Concat(camelCase.Select((c, i) => i == 0 ? char.ToUpperInvariant(c).ToString() : char.IsUpper(c) ? $" {c}" : c.ToString()));

    private static string RoleId(JsonObject assignment)
    {
        var definition = (string)Node(assignment, "properties.roleDefinitionId")!;
        Assert.Matches("^/subscriptions/[^/]+/providers/Microsoft.Authorization/roleDefinitions/[0-9a-f-]{36}$", definition);
        return definition.Split('/')[^1];
    }

    /// <summary>An extension resource's id is <c>&lt;scope&gt;/providers/Microsoft.Authorization/roleAssignments/&lt;name&gt;</c>.</summary>
    private static string ScopeOf(JsonObject assignment)
    {
        var id = (string)assignment["id"]!;
        var marker = id.LastIndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.Ordinal);
        Assert.True(marker > 0, $"Unexpected role assignment id {id}.");
        return id[..marker];
    }
}
