using System.Text.Json.Nodes;
using DriverFunctions.Infra.Tests.Bicep;
using YamlDotNet.RepresentationModel;

namespace DriverFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class AzdTemplateTests(InfraTemplate template)
{
    [Fact]
    public void Azure_yaml_deploys_the_functions_project_as_service_api_from_the_bicep_in_infra()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(template.RepositoryRoot, "azure.yaml"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;

        var api = (YamlMappingNode)((YamlMappingNode)root["services"])["api"];
        Assert.Equal("function", api["host"].ToString());
        Assert.Equal("dotnet", api["language"].ToString());
        var project = Path.GetFullPath(Path.Combine(template.RepositoryRoot, api["project"].ToString()));
        Assert.True(File.Exists(Path.Combine(project, "DriverFunctions.csproj")), $"services.api.project {project} has no DriverFunctions.csproj");
        var infra = (YamlMappingNode)root["infra"];
        Assert.Equal("bicep", infra["provider"].ToString());
        Assert.True(File.Exists(Path.Combine(template.RepositoryRoot, infra["path"].ToString(), $"{infra["module"]}.bicep")));
    }

    [Fact]
    public void Main_parameters_supply_every_required_parameter_and_name_only_existing_ones()
    {
        var declared = template.CompiledTemplate["parameters"]!.AsObject();
        var supplied = JsonNode.Parse(File.ReadAllText(Path.Combine(template.RepositoryRoot, "infra", "main.parameters.json")))!["parameters"]!.AsObject();

        var required = declared.Where(p => !p.Value!.AsObject().ContainsKey("defaultValue")).Select(p => p.Key);

        Assert.Equal(["environmentName", "location"], required.Order(StringComparer.Ordinal));
        Assert.All(required, name => Assert.True(supplied.ContainsKey(name), $"main.parameters.json does not supply '{name}'."));
        Assert.All(supplied.Select(p => p.Key), name => Assert.True(declared.ContainsKey(name), $"main.parameters.json names unknown parameter '{name}'."));
    }

    [Fact]
    public void Outputs_tell_azd_and_the_operator_where_the_app_and_the_web_root_are()
    {
        var outputs = template.Snapshot().Outputs;

        Assert.StartsWith("func-api-", (string?)outputs["SERVICE_API_NAME"], StringComparison.Ordinal);
        Assert.Equal($"rg-{InfraTemplate.EnvironmentName}", (string?)outputs["AZURE_RESOURCE_GROUP"]);
        Assert.StartsWith("st", (string?)outputs["AZURE_STORAGE_ACCOUNT_NAME"], StringComparison.Ordinal);
        Assert.Matches(@"primaryEndpoints\.blob, 'drivers'\)\]$", (string?)outputs["MIRROR_WEB_ROOT_URL"]);
        Assert.Contains("index.json", (string?)outputs["MIRROR_INDEX_URL"], StringComparison.Ordinal);
    }
}
