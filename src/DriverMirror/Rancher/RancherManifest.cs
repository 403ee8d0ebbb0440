using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DriverMirror.Catalog;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DriverMirror.Rancher;

/// <summary>
/// Rancher <c>NodeDriver</c> / <c>KontainerDriver</c> objects (<c>management.cattle.io/v3</c>) that point every driver at its
/// mirror URL with the SHA-256 we computed, for <c>kubectl apply -f</c> on the Rancher local cluster.
/// </summary>
public static class RancherManifest
{
    /// <summary>The API version of Rancher's driver objects.</summary>
    public const string ApiVersion = "management.cattle.io/v3";

    /// <summary>
    /// Builds the objects for drivers of <paramref name="kind"/>, pointing each driver at its artifact for
    /// <paramref name="platform"/>. Drivers compiled into Rancher keep <c>local://</c> in every manifest. A driver with no
    /// artifact for <paramref name="platform"/> is left out: pointing an air-gapped Rancher at its upstream would fail, and an
    /// arm64 server cannot execute an amd64 binary, so there is no fallback to another platform's artifact. Left-out active
    /// drivers are named in <see cref="RancherManifestSet.NotMirrored"/> (they need a sync), inactive ones in
    /// <see cref="RancherManifestSet.InactiveNotMirrored"/> (nothing is wrong: inactive drivers are not synced). Only mirror
    /// URLs are published, never upstream ones.
    /// </summary>
    public static RancherManifestSet Build(IEnumerable<DriverRecord> records, DriverKind kind, string platform = DriverSpec.DefaultPlatform)
    {
        var objects = new List<RancherDriverObject>();
        var notMirrored = new List<string>();
        var inactiveNotMirrored = new List<string>();
        foreach (var record in records.Where(r => r.Spec.Kind == kind).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var spec = record.Spec;
            string url;
            string? checksum;
            if (spec.IsLocal)
            {
                (url, checksum) = (DriverSpec.LocalUrl, null);
            }
            else if (record.Status.Artifacts.TryGetValue(platform, out var artifact))
            {
                (url, checksum) = (artifact.PublicUrl, artifact.Sha256);
            }
            else
            {
                (spec.Active ? notMirrored : inactiveNotMirrored).Add(spec.Name);
                continue;
            }

            objects.Add(new RancherDriverObject
            {
                ApiVersion = ApiVersion,
                Kind = kind == DriverKind.Node ? "NodeDriver" : "KontainerDriver",
                Metadata = new RancherMetadata { Name = spec.Name },
                Spec = new RancherDriverSpec
                {
                    Active = spec.Active,
                    Builtin = kind == DriverKind.Node ? spec.Builtin : null,
                    BuiltIn = kind == DriverKind.Cluster ? spec.Builtin : null,
                    AddCloudCredential = kind == DriverKind.Node ? spec.AddCloudCredential : null,
                    DisplayName = kind == DriverKind.Node ? spec.DisplayName ?? spec.Name : null,
                    Description = kind == DriverKind.Node ? spec.Description : null,
                    Url = url,
                    Checksum = checksum,
                    // The mirrored UI component, never the upstream one: the browser of an air-gapped Rancher cannot load it,
                    // and without a UI URL Rancher shows its generic form for the driver.
                    UiUrl = record.Status.Ui?.PublicUrl,
                    WhitelistDomains = spec.WhitelistDomains is { Count: > 0 } domains ? domains : null,
                },
            });
        }

        return new RancherManifestSet(kind, platform, objects, notMirrored, inactiveNotMirrored);
    }

    /// <summary>
    /// JSON options for Rancher objects: camelCase and case-sensitive, because Rancher's NodeDriver says <c>builtin</c> where
    /// its KontainerDriver says <c>builtIn</c>.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The objects as a Kubernetes <c>List</c> (what <c>kubectl apply -f</c> accepts as JSON), plus the drivers left out.</summary>
    public static JsonObject ToJson(RancherManifestSet set) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "List",
        ["items"] = JsonSerializer.SerializeToNode(set.Objects, JsonOptions),
        ["notMirrored"] = JsonSerializer.SerializeToNode(set.NotMirrored, JsonOptions),
        ["inactiveNotMirrored"] = JsonSerializer.SerializeToNode(set.InactiveNotMirrored, JsonOptions),
    };

    /// <summary>Writes the objects as one multi-document YAML stream, with a comment naming the drivers left out.</summary>
    public static string ToYaml(RancherManifestSet set)
    {
        var serializer = new SerializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
            .Build();
        var yaml = new System.Text.StringBuilder();
        yaml.Append("# Rancher ").Append(set.Kind == DriverKind.Node ? "node" : "kontainer").Append(" drivers served by DriverFunctions for ").Append(set.Platform).Append('\n');
        if (set.NotMirrored.Count > 0)
        {
            yaml.Append("# Not mirrored yet (left out): ").Append(string.Join(", ", set.NotMirrored)).Append('\n');
        }

        if (set.InactiveNotMirrored.Count > 0)
        {
            yaml.Append("# Inactive, so not mirrored (left out): ").Append(string.Join(", ", set.InactiveNotMirrored)).Append('\n');
        }

        foreach (var item in set.Objects)
        {
            yaml.Append("---\n").Append(serializer.Serialize(item));
        }

        return yaml.ToString();
    }
}

/// <summary>The Rancher objects for one driver kind and platform.</summary>
/// <param name="Kind">Node or cluster drivers.</param>
/// <param name="Platform">The platform the URLs were chosen for.</param>
/// <param name="Objects">The objects.</param>
/// <param name="NotMirrored">Active drivers left out because nothing is published for them for <paramref name="Platform"/> yet.</param>
/// <param name="InactiveNotMirrored">Inactive drivers left out for the same reason (the mirror does not sync inactive drivers).</param>
public sealed record RancherManifestSet(
    DriverKind Kind,
    string Platform,
    IReadOnlyList<RancherDriverObject> Objects,
    IReadOnlyList<string> NotMirrored,
    IReadOnlyList<string> InactiveNotMirrored);

/// <summary>A Rancher driver object.</summary>
public sealed record RancherDriverObject
{
    /// <summary><c>management.cattle.io/v3</c>.</summary>
    public required string ApiVersion { get; init; }

    /// <summary><c>NodeDriver</c> or <c>KontainerDriver</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The object's name.</summary>
    public required RancherMetadata Metadata { get; init; }

    /// <summary>The driver's spec as Rancher reads it.</summary>
    public required RancherDriverSpec Spec { get; init; }
}

/// <summary>Kubernetes object metadata.</summary>
public sealed record RancherMetadata
{
    /// <summary>The object name: the driver name.</summary>
    public required string Name { get; init; }
}

/// <summary>The spec fields of Rancher's NodeDriver and KontainerDriver.</summary>
public sealed record RancherDriverSpec
{
    /// <summary>Whether the driver is active.</summary>
    public bool Active { get; init; }

    /// <summary>NodeDriver: built in.</summary>
    public bool? Builtin { get; init; }

    /// <summary>KontainerDriver: built in (Rancher spells it with a capital I there).</summary>
    public bool? BuiltIn { get; init; }

    /// <summary>NodeDriver: add a cloud credential type.</summary>
    public bool? AddCloudCredential { get; init; }

    /// <summary>NodeDriver: display name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>NodeDriver: description.</summary>
    public string? Description { get; init; }

    /// <summary>The download URL: the mirror's, or <c>local://</c>.</summary>
    public required string Url { get; init; }

    /// <summary>The SHA-256 of what the URL serves.</summary>
    public string? Checksum { get; init; }

    /// <summary>UI extension URL.</summary>
    public string? UiUrl { get; init; }

    /// <summary>Domains the driver may reach.</summary>
    public IReadOnlyList<string>? WhitelistDomains { get; init; }
}
