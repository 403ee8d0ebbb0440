using System.Text.Json.Nodes;
using DriverMirror.Catalog;

namespace DriverFunctions.Http;

/// <summary>
/// The OpenAPI 3.0 description of the HTTP API, built by hand so it says exactly what the functions do.
/// A test keeps it true: its paths and methods must equal the HTTP triggers in <c>functions.metadata</c>.
/// </summary>
/// <remarks>
/// To add a route: add its function, then one <see cref="Operation"/> to <see cref="Operations"/> (the route
/// constant from <see cref="ApiRoutes"/>, the function name as operation id, parameters, body and responses), and
/// any new schema to <see cref="Schemas"/>.
/// </remarks>
public static class OpenApiDocument
{
    public const string Version = "3.0.3";

    /// <summary>One method on one route.</summary>
    /// <param name="Method">Lower-case HTTP method.</param>
    /// <param name="Route">The route relative to <see cref="ApiRoutes.Prefix"/>, as in the trigger attribute.</param>
    /// <param name="OperationId">The function name.</param>
    /// <param name="Tag">The group the operation is listed under.</param>
    /// <param name="Summary">One line on what it does.</param>
    public sealed record Operation(string Method, string Route, string OperationId, string Tag, string Summary)
    {
        public string? Description { get; init; }

        public JsonNode?[] Parameters { get; init; } = [];

        public JsonObject? RequestBody { get; init; }

        public required JsonObject Responses { get; init; }

        /// <summary>Anonymous operations (health) need no function key.</summary>
        public bool Anonymous { get; init; }
    }

    /// <summary>Builds the document.</summary>
    public static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var operation in Operations())
        {
            var path = $"/{operation.Route}";
            if (paths[path] is not JsonObject item)
            {
                item = [];
                paths[path] = item;
            }

            item[operation.Method] = Describe(operation);
        }

        return new JsonObject
        {
            ["openapi"] = Version,
            ["info"] = new JsonObject
            {
                ["title"] = "DriverFunctions",
                ["version"] = typeof(OpenApiDocument).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
                ["description"] = "Driver catalog of the Rancher machine-driver mirror. Errors are RFC 9457 problem details "
                    + "(application/problem+json); record responses carry an ETag to send back as If-Match.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = ApiRoutes.Prefix }),
            ["security"] = new JsonArray(
                new JsonObject { ["functionKeyHeader"] = new JsonArray() },
                new JsonObject { ["functionKeyQuery"] = new JsonArray() }),
            ["tags"] = new JsonArray(
                Tag("drivers", "Driver records: spec and mirror status."),
                Tag("catalog", "Default catalogs and catalog documents."),
                Tag("service", "Health and this document.")),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["functionKeyHeader"] = ApiKey("header", "x-functions-key"),
                    ["functionKeyQuery"] = ApiKey("query", "code"),
                },
                ["parameters"] = new JsonObject
                {
                    ["name"] = new JsonObject
                    {
                        ["name"] = "name",
                        ["in"] = "path",
                        ["required"] = true,
                        ["description"] = "The driver name.",
                        ["schema"] = new JsonObject { ["type"] = "string", ["pattern"] = DriverName.Pattern },
                    },
                    ["ifMatch"] = new JsonObject
                    {
                        ["name"] = "If-Match",
                        ["in"] = "header",
                        ["required"] = false,
                        ["description"] = "The ETag of the record as last read, or * (the record must exist). A stale value, or any If-Match for a driver that does not exist, gives 412 and changes nothing (RFC 9110); an empty header is a 400.",
                        ["schema"] = new JsonObject { ["type"] = "string" },
                    },
                },
                ["headers"] = new JsonObject
                {
                    ["ETag"] = new JsonObject
                    {
                        ["description"] = "The record's version; send it back as If-Match.",
                        ["schema"] = new JsonObject { ["type"] = "string" },
                    },
                },
                ["schemas"] = Schemas(),
            },
        };
    }

    /// <summary>Every operation of the API, in the order the document lists them.</summary>
    public static IReadOnlyList<Operation> Operations() =>
    [
        new("get", ApiRoutes.Drivers, "ListDrivers", "drivers", "List drivers")
        {
            Parameters =
            [
                QueryFilter("kind", "Only drivers of this kind.", Enum("node", "cluster")),
                QueryFilter("active", "Only active (true) or inactive (false) drivers.", new JsonObject { ["type"] = "boolean" }),
                QueryFilter("state", "Only drivers in this sync state.", Enum(StateNames())),
            ],
            Responses = Responses(("200", Json("The drivers in name order.", "DriverList")), ("400", Problem("An invalid filter value.", validation: true))),
        },
        new("get", ApiRoutes.Driver, "GetDriver", "drivers", "Read a driver")
        {
            Parameters = [ParameterRef("name")],
            Responses = Responses(("200", Record("The driver.")), ("400", InvalidName()), ("404", Problem("No driver has that name."))),
        },
        new("put", ApiRoutes.Driver, "PutDriver", "drivers", "Create or replace a driver's spec")
        {
            Description = "The body is a full spec; unknown fields are refused. The body's name may be left out; if given it must equal the URL's. The status is kept.",
            Parameters = [ParameterRef("name"), ParameterRef("ifMatch")],
            RequestBody = Body("The spec.", required: true, ("application/json", SchemaRef("DriverSpec"))),
            Responses = Responses(
                ("200", Record("Replaced (or unchanged).")),
                ("201", Record("Created.", location: true)),
                ("400", Problem("Invalid name, malformed JSON (including a member given twice), an empty If-Match or an invalid spec.", validation: true)),
                ("412", Problem("If-Match is stale, or given for a driver that does not exist.")),
                ("413", Problem("The body is too large.")),
                ("415", Problem("The body is not JSON."))),
        },
        new("patch", ApiRoutes.Driver, "PatchDriver", "drivers", "Change part of a driver's spec (JSON merge patch)")
        {
            Description = "RFC 7396: members replace the spec's, null removes one. The name cannot change.",
            Parameters = [ParameterRef("name"), ParameterRef("ifMatch")],
            RequestBody = Body(
                "The merge patch.",
                required: true,
                ("application/merge-patch+json", new JsonObject { ["type"] = "object" }),
                ("application/json", new JsonObject { ["type"] = "object" })),
            Responses = Responses(
                ("200", Record("The patched driver.")),
                ("400", Problem("Invalid name, malformed JSON, an empty If-Match or a patch that makes the spec invalid.", validation: true)),
                ("404", Problem("No driver has that name (and no If-Match was given).")),
                ("412", Problem("If-Match is stale, or given for a driver that does not exist.")),
                ("413", Problem("The body is too large.")),
                ("415", Problem("The body is neither merge-patch JSON nor JSON."))),
        },
        new("delete", ApiRoutes.Driver, "DeleteDriver", "drivers", "Delete a driver")
        {
            Description = "Published artifacts stay in the web root: URLs Rancher holds keep working.",
            Parameters = [ParameterRef("name"), ParameterRef("ifMatch")],
            Responses = Responses(
                ("204", new JsonObject { ["description"] = "Deleted." }),
                ("400", Problem("Invalid name or an empty If-Match.", validation: true)),
                ("404", Problem("No driver has that name (and no If-Match was given).")),
                ("412", Problem("If-Match is stale, or given for a driver that does not exist."))),
        },
        SetActive(ApiRoutes.ActivateDriver, "ActivateDriver", "Activate a driver (the mirror syncs it)"),
        SetActive(ApiRoutes.DeactivateDriver, "DeactivateDriver", "Deactivate a driver (the mirror leaves it alone)"),
        new("post", ApiRoutes.CatalogImport, "ImportCatalog", "catalog", "Import a catalog")
        {
            Description = "A built-in catalog by name, or the catalog document in the body when name is absent. "
                + "Idempotent; drivers an operator edited are kept unless overwrite=true.",
            Parameters =
            [
                QueryFilter("name", "A built-in catalog.", Enum([.. CatalogDocument.BuiltInNames])),
                QueryFilter("overwrite", "Replace drivers an operator edited with the catalog's spec.", new JsonObject { ["type"] = "boolean", ["default"] = false }),
            ],
            RequestBody = Body("A catalog document (only when name is absent).", required: false, ("application/json", SchemaRef("CatalogDocument"))),
            Responses = Responses(
                ("200", Json("What the import did, driver by driver.", "ImportReport")),
                ("400", Problem("Unknown catalog name, invalid overwrite, or an invalid document.", validation: true)),
                ("413", Problem("The body is too large.")),
                ("415", Problem("The body is not JSON."))),
        },
        new("post", ApiRoutes.SyncDriver, "SyncDriver", "mirror", "Queue a sync of one driver")
        {
            Description = "The queue function downloads, verifies and publishes the driver's archives; watch the record's status.",
            Parameters = [ParameterRef("name")],
            Responses = Responses(
                ("202", Json("Queued; Location is the driver's record.", "SyncAccepted")),
                ("400", InvalidName()),
                ("404", Problem("No driver has that name."))),
        },
        new("post", ApiRoutes.SyncAll, "SyncAll", "mirror", "Queue a sync of every active driver")
        {
            Responses = Responses(("202", Json("Queued; Location is the driver list.", "SyncAccepted"))),
        },
        RancherManifestOperation(ApiRoutes.RancherNodeDrivers, "RancherNodeDrivers", "NodeDriver"),
        RancherManifestOperation(ApiRoutes.RancherKontainerDrivers, "RancherKontainerDrivers", "KontainerDriver"),
        new("get", ApiRoutes.OpenApi, "OpenApi", "service", "This document")
        {
            Responses = Responses(("200", new JsonObject
            {
                ["description"] = "The OpenAPI document.",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
            })),
        },
        new("get", ApiRoutes.Health, "Health", "service", "Health probe (no key needed)")
        {
            Anonymous = true,
            Responses = Responses(("200", Json("Healthy: the drivers table is reachable.", "Health")), ("503", Problem("A health check fails."))),
        },
    ];

    /// <summary>The schemas of bodies and responses, camelCase as <see cref="DriverJson"/> writes them.</summary>
    public static JsonObject Schemas()
    {
        var hex = "^([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128})$";
        JsonObject SpecProperties() => new()
        {
            ["name"] = new JsonObject { ["type"] = "string", ["pattern"] = DriverName.Pattern, ["description"] = "Rancher's driver name; the record's key." },
            ["kind"] = Enum("node", "cluster").With("default", "node"),
            ["displayName"] = String("Name shown to people."),
            ["description"] = String("What the driver is."),
            ["builtin"] = Boolean("Whether Rancher ships the driver itself."),
            ["active"] = Boolean("Whether the driver is active in Rancher, and therefore mirrored."),
            ["url"] = String("Upstream http/https URL of the linux-amd64 archive, or local:// for a built-in driver.").With("maxLength", 2048),
            ["checksum"] = String("Pinned hex digest of the url's content (md5, sha1, sha256 or sha512 by length).").With("pattern", hex),
            ["platforms"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Further platforms keyed os-arch, for example linux-arm64.",
                ["additionalProperties"] = SchemaRef("PlatformSource"),
            },
            ["uiUrl"] = String("URL of the driver's custom UI component (component.js). The mirror publishes it, with the stylesheet beside it, and Rancher manifests point at the mirrored copy."),
            ["whitelistDomains"] = new JsonObject { ["type"] = "array", ["maxItems"] = 64, ["items"] = new JsonObject { ["type"] = "string" } },
            ["addCloudCredential"] = Boolean("Whether Rancher adds a cloud credential type for the driver."),
        };

        var recordProperties = SpecProperties();
        recordProperties["generation"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "Incremented on every spec change." };
        recordProperties["createdAt"] = DateTime();
        recordProperties["updatedAt"] = DateTime();
        recordProperties["status"] = SchemaRef("DriverStatus");

        return new JsonObject
        {
            ["DriverSpec"] = Object(SpecProperties(), "What an operator declares about a driver. Unknown fields are refused."),
            ["PlatformSource"] = Object(new JsonObject { ["url"] = String("Upstream http/https URL."), ["checksum"] = String("Pinned hex digest.").With("pattern", hex) }),
            ["DriverRecord"] = Object(recordProperties, "A stored driver: spec, bookkeeping and the mirror's status.", "name", "kind", "builtin", "active", "generation", "createdAt", "updatedAt", "status"),
            ["DriverStatus"] = Object(
                new JsonObject
                {
                    ["observedGeneration"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
                    ["state"] = Enum(StateNames()),
                    ["message"] = String("Why the state is what it is."),
                    ["artifacts"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = SchemaRef("MirroredArtifact") },
                    ["ui"] = SchemaRef("MirroredUi"),
                    ["lastAttemptAt"] = DateTime(),
                    ["lastSuccessAt"] = DateTime(),
                    ["consecutiveFailures"] = new JsonObject { ["type"] = "integer" },
                    ["upstreamChanged"] = Boolean("Upstream started serving different bytes than before."),
                },
                "What the mirror observed."),
            ["MirroredArtifact"] = Object(
                new JsonObject
                {
                    ["blobPath"] = String("name/sha256/file inside the web-root container."),
                    ["publicUrl"] = String("The URL Rancher downloads from."),
                    ["fileName"] = String("The upstream file name."),
                    ["size"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
                    ["sha256"] = String("Hex SHA-256 of the published bytes."),
                    ["format"] = Enum("tar.gz", "zip", "elf"),
                    ["driverBinary"] = String("The entry that holds the driver binary."),
                    ["upstreamUrl"] = String("Where the bytes came from."),
                    ["upstreamEtag"] = String("Upstream ETag."),
                    ["upstreamLastModified"] = DateTime(),
                    ["fetchedAt"] = DateTime(),
                },
                "One platform's verified archive in the web root."),
            ["MirroredUi"] = Object(
                new JsonObject
                {
                    ["blobPath"] = String("name/ui/bundle/file inside the web-root container."),
                    ["publicUrl"] = String("The UI URL to give Rancher."),
                    ["fileName"] = String("The upstream file name of the script."),
                    ["size"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
                    ["sha256"] = String("Hex SHA-256 of the script."),
                    ["stylesheetUrl"] = String("The stylesheet beside the script, when the upstream has one."),
                    ["stylesheetSha256"] = String("Hex SHA-256 of the stylesheet."),
                    ["upstreamUrl"] = String("Where the script came from (the spec's uiUrl)."),
                    ["upstreamEtag"] = String("Upstream ETag of the script."),
                    ["upstreamLastModified"] = DateTime(),
                    ["fetchedAt"] = DateTime(),
                },
                "The driver's custom UI component (script, and stylesheet beside it) in the web root."),
            ["DriverList"] = Object(new JsonObject { ["drivers"] = ArrayOf(SchemaRef("DriverRecord")) }, null, "drivers"),
            ["CatalogDocument"] = Object(
                new JsonObject { ["catalog"] = String("The catalog's name."), ["description"] = String("What it holds."), ["drivers"] = ArrayOf(SchemaRef("DriverSpec")) },
                "A named list of driver specs.",
                "drivers"),
            ["SyncAccepted"] = Object(
                new JsonObject
                {
                    ["queued"] = ArrayOf(Object(
                        new JsonObject
                        {
                            ["name"] = String("The driver."),
                            ["generation"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
                            ["reason"] = String("Who asked: api, timer."),
                            ["requestedAt"] = DateTime(),
                        },
                        "One queued sync request.",
                        "name", "generation", "reason", "requestedAt")),
                },
                "Sync requests put on the queue.",
                "queued"),
            ["ImportReport"] = Object(
                new JsonObject
                {
                    ["catalog"] = String("The imported catalog's name."),
                    ["created"] = ArrayOf(String("Created.")),
                    ["unchanged"] = ArrayOf(String("Already as in the catalog.")),
                    ["kept"] = ArrayOf(String("Edited by an operator; kept.")),
                    ["overwritten"] = ArrayOf(String("Edited by an operator; replaced (overwrite=true).")),
                },
                null,
                "catalog", "created", "unchanged", "kept", "overwritten"),
            ["Problem"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "RFC 9457 problem details.",
                ["properties"] = new JsonObject
                {
                    ["type"] = String("URI of the problem type."),
                    ["title"] = String("Short summary of the problem type."),
                    ["status"] = new JsonObject { ["type"] = "integer" },
                    ["detail"] = String("What went wrong this time."),
                    ["instance"] = String("The request path."),
                },
                ["required"] = new JsonArray("type", "title", "status", "detail", "instance"),
            },
            ["ValidationProblem"] = new JsonObject
            {
                ["allOf"] = new JsonArray(
                    SchemaRef("Problem"),
                    new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["errors"] = new JsonObject
                            {
                                ["type"] = "object",
                                ["description"] = "Messages by field path (for example url, platforms.linux-arm64.checksum, drivers[3].name).",
                                ["additionalProperties"] = ArrayOf(new JsonObject { ["type"] = "string" }),
                            },
                        },
                        ["required"] = new JsonArray("errors"),
                    }),
            },
            ["Health"] = Object(
                new JsonObject
                {
                    ["status"] = Enum("healthy"),
                    ["checks"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = Object(new JsonObject { ["status"] = String("healthy, degraded or unhealthy."), ["description"] = String("What was checked.") }),
                    },
                },
                null,
                "status"),
        };
    }

    private static Operation RancherManifestOperation(string route, string operationId, string kind) => new("get", route, operationId, "rancher", $"Rancher {kind} objects pointing at the mirror")
    {
        Description = "YAML (multi-document, for kubectl apply) unless the client accepts only application/json, which gets a Kubernetes List. "
            + "Drivers with nothing published yet are left out and named.",
        Parameters = [QueryFilter("platform", "Pick each driver's artifact for this platform (default linux-amd64).", new JsonObject { ["type"] = "string", ["pattern"] = DriverSpecValidator.PlatformPattern })],
        Responses = Responses(
            ("200", new JsonObject
            {
                ["description"] = $"The {kind} objects.",
                ["content"] = new JsonObject
                {
                    ["application/yaml"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } },
                    ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                },
            }),
            ("400", Problem("An invalid platform.", validation: true))),
    };

    private static Operation SetActive(string route, string operationId, string summary) => new("post", route, operationId, "drivers", summary)
    {
        Parameters = [ParameterRef("name"), ParameterRef("ifMatch")],
        Responses = Responses(
            ("200", Record("The driver.")),
            ("400", Problem("Invalid name or an empty If-Match.", validation: true)),
            ("404", Problem("No driver has that name (and no If-Match was given).")),
            ("412", Problem("If-Match is stale, or given for a driver that does not exist."))),
    };

    private static JsonObject Describe(Operation operation)
    {
        var json = new JsonObject
        {
            ["operationId"] = operation.OperationId,
            ["tags"] = new JsonArray(operation.Tag),
            ["summary"] = operation.Summary,
        };
        if (operation.Description is not null)
        {
            json["description"] = operation.Description;
        }

        if (operation.Parameters.Length > 0)
        {
            json["parameters"] = new JsonArray(operation.Parameters);
        }

        if (operation.RequestBody is not null)
        {
            json["requestBody"] = operation.RequestBody;
        }

        var responses = operation.Responses;
        responses["500"] ??= Problem("Unexpected failure; the function's logs have the details.");
        if (operation.Route != ApiRoutes.OpenApi)
        {
            responses["503"] ??= Problem("Storage could not be reached; try again later.");
        }

        json["responses"] = responses;
        if (operation.Anonymous)
        {
            json["security"] = new JsonArray();
        }

        return json;
    }

    private static JsonObject Responses(params (string Status, JsonObject Response)[] responses)
    {
        var json = new JsonObject();
        foreach (var (status, response) in responses)
        {
            json[status] = response;
        }

        return json;
    }

    private static JsonObject Record(string description, bool location = false)
    {
        var headers = new JsonObject { ["ETag"] = new JsonObject { ["$ref"] = "#/components/headers/ETag" } };
        if (location)
        {
            headers["Location"] = new JsonObject { ["description"] = "The driver's URL.", ["schema"] = new JsonObject { ["type"] = "string" } };
        }

        var response = Json(description, "DriverRecord");
        response["headers"] = headers;
        return response;
    }

    private static JsonObject Json(string description, string schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = SchemaRef(schema) } },
    };

    private static JsonObject Problem(string description, bool validation = false) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = SchemaRef(validation ? "ValidationProblem" : "Problem") } },
    };

    private static JsonObject InvalidName() => Problem("The name is not a valid driver name.", validation: true);

    private static JsonObject Body(string description, bool required, params (string MediaType, JsonObject Schema)[] content)
    {
        var types = new JsonObject();
        foreach (var (mediaType, schema) in content)
        {
            types[mediaType] = new JsonObject { ["schema"] = schema };
        }

        return new JsonObject { ["description"] = description, ["required"] = required, ["content"] = types };
    }

    private static JsonObject QueryFilter(string name, string description, JsonObject schema) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = schema,
    };

    private static JsonObject ParameterRef(string name) => new() { ["$ref"] = $"#/components/parameters/{name}" };

    private static JsonObject SchemaRef(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };

    private static JsonObject Object(JsonObject properties, string? description = null, params string[] required)
    {
        var json = new JsonObject { ["type"] = "object" };
        if (description is not null)
        {
            json["description"] = description;
        }

        json["properties"] = properties;
        json["additionalProperties"] = false;
        if (required.Length > 0)
        {
            json["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
        }

        return json;
    }

    private static JsonObject ArrayOf(JsonObject items) => new() { ["type"] = "array", ["items"] = items };

    private static JsonObject Enum(params string[] values) => new() { ["type"] = "string", ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) };

    private static JsonObject String(string description) => new() { ["type"] = "string", ["description"] = description };

    private static JsonObject Boolean(string description) => new() { ["type"] = "boolean", ["description"] = description };

    private static JsonObject DateTime() => new() { ["type"] = "string", ["format"] = "date-time" };

    private static JsonObject Tag(string name, string description) => new() { ["name"] = name, ["description"] = description };

    private static JsonObject ApiKey(string location, string name) => new()
    {
        ["type"] = "apiKey",
        ["in"] = location,
        ["name"] = name,
        ["description"] = "An Azure Functions key (function or host key).",
    };

    private static string[] StateNames() => [.. System.Enum.GetNames<DriverState>().Select(n => n.ToLowerInvariant())];

    private static JsonObject With(this JsonObject json, string name, JsonNode? value)
    {
        json[name] = value;
        return json;
    }
}
