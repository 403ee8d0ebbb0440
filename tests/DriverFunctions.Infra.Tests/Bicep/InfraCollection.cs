namespace DriverFunctions.Infra.Tests.Bicep;

/// <summary>The template is compiled, linted and evaluated once for all infra tests.</summary>
[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraTemplate>
{
    public const string Name = "infra";
}
