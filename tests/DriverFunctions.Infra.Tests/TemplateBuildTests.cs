using System.Text.Json.Nodes;
using DriverFunctions.Infra.Tests.Bicep;

namespace DriverFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class TemplateBuildTests(InfraTemplate template)
{
    [Fact]
    public void Lint_reports_no_problem_in_the_template()
    {
        var lint = template.Lint;

        Assert.True(lint.ExitCode == 0, $"bicep lint failed: {lint.Describe()}");
        Assert.True(string.IsNullOrWhiteSpace(lint.StandardOutput + lint.StandardError), $"bicep lint printed diagnostics: {lint.Describe()}");
    }

    [Fact]
    public void Lint_fails_a_template_that_breaks_a_rule_the_config_makes_an_error()
    {
        var directory = Directory.CreateTempSubdirectory("driverfunctions-lint-");
        try
        {
            // An unused parameter and a hard-coded cloud URL: both rules are errors in infra/bicepconfig.json.
            var bad = Path.Combine(directory.FullName, "bad.bicep");
            File.WriteAllText(bad, """
                param unused string
                output endpoint string = 'https://management.core.windows.net/'
                """);

            var lint = template.Bicep.Run(
                directory.FullName, "lint", bad, "--config", Path.Combine(template.RepositoryRoot, "infra", "bicepconfig.json"));

            Assert.NotEqual(0, lint.ExitCode);
            Assert.Contains("Error no-unused-params", lint.StandardOutput + lint.StandardError, StringComparison.Ordinal);
            Assert.Contains("Error no-hardcoded-env-urls", lint.StandardOutput + lint.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Build_compiles_a_subscription_scope_template_with_one_module_per_concern()
    {
        var compiled = template.CompiledTemplate;

        Assert.True(string.IsNullOrWhiteSpace(template.Build.StandardError), $"bicep build printed diagnostics: {template.Build.Describe()}");
        Assert.Contains("subscriptionDeploymentTemplate", (string)compiled["$schema"]!, StringComparison.Ordinal);
        var modules = InfraTemplate.Resources(compiled)
            .Where(r => (string?)r["type"] == ResourceTypes.Deployment)
            .Select(r => (string)r["name"]!)
            .Order(StringComparer.Ordinal);
        Assert.Equal(["api", "identity", "monitoring", "rbac", "storage"], modules);
    }

    [Fact]
    public void No_container_in_the_compiled_template_can_ever_be_listed_anonymously()
    {
        var publicAccessValues = Descendants(template.CompiledTemplate)
            .OfType<JsonObject>()
            .Where(o => o.ContainsKey("publicAccess"))
            .Select(o => (string)o["publicAccess"]!)
            .ToList();

        Assert.NotEmpty(publicAccessValues);
        Assert.All(publicAccessValues, value =>
        {
            Assert.NotEqual("Container", value);
            Assert.DoesNotContain("'Container'", value, StringComparison.Ordinal);
        });
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }
}
