using System.Text.Json.Nodes;

namespace DriverFunctions.Tests;

/// <summary>Checks the RFC 9457 shape every error response must have.</summary>
public static class ProblemAssert
{
    public static JsonObject IsProblem(ApiResponse response, int status, string instance)
    {
        Assert.Equal(status, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        var problem = response.Json.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.True(Uri.IsWellFormedUriString(problem["type"]!.GetValue<string>(), UriKind.Absolute));
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]!.GetValue<string>()));
        Assert.Equal(instance, problem["instance"]!.GetValue<string>());
        return problem;
    }

    /// <summary>A 400 whose <c>errors</c> map names exactly <paramref name="fields"/>, each with at least one message.</summary>
    public static JsonObject IsValidationProblem(ApiResponse response, string instance, params string[] fields)
    {
        var problem = IsProblem(response, 400, instance);
        var errors = Assert.IsType<JsonObject>(problem["errors"]);
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var (_, messages) in errors)
        {
            Assert.NotEmpty(Assert.IsType<JsonArray>(messages));
            Assert.All(messages!.AsArray(), m => Assert.False(string.IsNullOrWhiteSpace(m!.GetValue<string>())));
        }

        return problem;
    }
}
