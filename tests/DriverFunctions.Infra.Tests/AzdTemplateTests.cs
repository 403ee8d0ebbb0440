using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
    public void Main_parameters_defaults_equal_the_bicep_defaults()
    {
        var declared = template.CompiledTemplate["parameters"]!.AsObject();

        var withDefaults = SuppliedParameters().Where(p => p.Default is not null && declared[p.Parameter]?["defaultValue"] is not null).ToList();

        // Two defaults that disagree mean `azd up` and a plain deployment of main.bicep build different things.
        Assert.NotEmpty(withDefaults);
        Assert.All(withDefaults, p =>
        {
            var parameter = declared[p.Parameter]!.AsObject();
            var bicepDefault = parameter["defaultValue"]!;
            var azdDefault = Typed(p, (string)parameter["type"]!);
            Assert.True(
                JsonNode.DeepEquals(bicepDefault, azdDefault),
                $"main.parameters.json defaults {p.Parameter} to {azdDefault.ToJsonString()} (${{{p.Variable}=…}}), main.bicep to {bicepDefault.ToJsonString()}.");
        });
    }

    [Fact]
    public void Main_parameters_read_only_variables_the_readme_documents_or_azd_sets()
    {
        var documented = DocumentedVariables().Select(v => v.Variable).ToHashSet(StringComparer.Ordinal);

        var supplied = SuppliedParameters();

        Assert.All(supplied, p => Assert.True(
            documented.Contains(p.Variable) || SetByAzd.Contains(p.Variable),
            $"main.parameters.json reads ${{{p.Variable}}} for {p.Parameter}: neither documented in README.md's `azd env set` table nor set by azd."));
    }

    [Fact]
    public void Every_variable_the_readme_documents_feeds_the_bicep_parameter_it_names()
    {
        var supplied = SuppliedParameters().ToDictionary(p => p.Variable, p => p.Parameter, StringComparer.Ordinal);

        var documented = DocumentedVariables();

        Assert.NotEmpty(documented);
        Assert.All(documented, d =>
        {
            Assert.True(supplied.TryGetValue(d.Variable, out var parameter), $"README.md documents `azd env set {d.Variable}`, but main.parameters.json never reads it.");
            Assert.True(parameter == d.Parameter, $"README.md says {d.Variable} sets {d.Parameter}; main.parameters.json feeds it to {parameter}.");
        });
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

    /// <summary>
    /// Variables azd itself provides when it substitutes main.parameters.json (its environment, subscription, and the
    /// signed-in principal), so a template may read them without documenting them.
    /// </summary>
    private static readonly HashSet<string> SetByAzd = new(StringComparer.Ordinal)
    {
        "AZURE_ENV_NAME",
        "AZURE_LOCATION",
        "AZURE_SUBSCRIPTION_ID",
        "AZURE_TENANT_ID",
        "AZURE_RESOURCE_GROUP",
        "AZURE_PRINCIPAL_ID",
        "AZURE_PRINCIPAL_TYPE",
    };

    /// <summary>A parameter value azd substitutes: exactly one <c>${VAR}</c> or <c>${VAR=default}</c> (envsubst also takes <c>:=</c>, <c>-</c>, <c>:-</c>).</summary>
    private static readonly Regex Substitution = new(@"^\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?[=-](?<default>[^}]*))?\}$", RegexOptions.CultureInvariant);

    private sealed record SuppliedParameter(string Parameter, string Variable, string? Default);

    private sealed record DocumentedVariable(string Variable, string Parameter);

    private List<SuppliedParameter> SuppliedParameters()
    {
        var supplied = JsonNode.Parse(File.ReadAllText(Path.Combine(template.RepositoryRoot, "infra", "main.parameters.json")))!["parameters"]!.AsObject();

        var parsed = supplied.Select(p =>
        {
            var value = p.Value?["value"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            var match = Substitution.Match(value ?? string.Empty);
            Assert.True(match.Success, $"main.parameters.json gives {p.Key} the value {p.Value?["value"]?.ToJsonString()}; expected exactly one ${{VAR}} or ${{VAR=default}}.");
            return new SuppliedParameter(p.Key, match.Groups["name"].Value, match.Groups["default"].Success ? match.Groups["default"].Value : null);
        }).ToList();

        Assert.NotEmpty(parsed);
        return parsed;
    }

    /// <summary>The <c>azd env set …</c> table of README.md's "Deploy to Azure" section: variable and the Bicep parameter it sets.</summary>
    private List<DocumentedVariable> DocumentedVariables()
    {
        var lines = File.ReadAllLines(Path.Combine(template.RepositoryRoot, "README.md"));
        var section = lines
            .SkipWhile(line => line.Trim() != "## Deploy to Azure")
            .Skip(1)
            .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .ToList();
        Assert.True(section.Count > 0, "README.md has no \"## Deploy to Azure\" section.");

        var header = section.FindIndex(line => line.TrimStart().StartsWith('|') && line.Contains("azd env set", StringComparison.Ordinal));
        Assert.True(header >= 0, "README.md's \"Deploy to Azure\" section has no `azd env set` table.");

        return section
            .Skip(header + 2) // the header row and its |---| separator
            .TakeWhile(line => line.TrimStart().StartsWith('|'))
            .Select(row =>
            {
                var cells = row.Trim().Trim('|').Split('|').Select(c => c.Trim().Trim('`')).ToArray();
                Assert.True(cells.Length >= 2, $"Unexpected row in README.md's `azd env set` table: {row}");
                return new DocumentedVariable(cells[0], cells[1]);
            })
            .ToList();
    }

    /// <summary>An azd default is text; ARM reads it as the parameter's type (<c>'true'</c> → true, <c>'40'</c> → 40).</summary>
    private static JsonNode Typed(SuppliedParameter parameter, string type)
    {
        var text = parameter.Default!;
        switch (type.ToLowerInvariant())
        {
            case "bool":
                Assert.True(bool.TryParse(text, out var flag), $"main.parameters.json defaults bool {parameter.Parameter} to '{text}'.");
                return JsonValue.Create(flag);
            case "int":
                Assert.True(
                    long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number),
                    $"main.parameters.json defaults int {parameter.Parameter} to '{text}'.");
                return JsonValue.Create(number);
            case "string":
                return JsonValue.Create(text);
            default:
                Assert.Fail($"No azd default conversion for {type} parameter {parameter.Parameter}.");
                return null!;
        }
    }
}
