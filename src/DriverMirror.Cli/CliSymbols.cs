using System.CommandLine;
using DriverMirror.Catalog;

namespace DriverMirror.Cli;

/// <summary>Arguments and options several commands share, with their validation at parse time (bad input never reaches storage).</summary>
internal static class CliSymbols
{
    public static readonly string[] KindWords = ["node", "cluster"];

    public static readonly string[] StateWords = Enum.GetNames<DriverState>().Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>A driver name argument, checked against Rancher's name rule.</summary>
    public static Argument<string> DriverNameArgument(string description = "The driver's name, e.g. hetzner.")
    {
        var argument = new Argument<string>("name") { Description = description };
        argument.Validators.Add(result =>
        {
            if (result.Tokens is [{ } token] && !DriverName.IsValid(token.Value))
            {
                result.AddError(NameError(token.Value));
            }
        });
        return argument;
    }

    /// <summary>Zero or more driver names.</summary>
    public static Argument<string[]> DriverNamesArgument(string description)
    {
        var argument = new Argument<string[]>("name") { Description = description, Arity = ArgumentArity.ZeroOrMore };
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !DriverName.IsValid(t.Value)))
            {
                result.AddError(NameError(token.Value));
            }
        });
        return argument;
    }

    public static Option<string?> KindOption(string description)
    {
        var option = new Option<string?>("--kind") { Description = description, HelpName = "node|cluster" };
        option.AcceptOnlyFromAmong(KindWords);
        return option;
    }

    public static DriverKind? ParseKind(string? word) => word is null ? null : Enum.Parse<DriverKind>(word, ignoreCase: true);

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON in the HTTP API's shape instead of a table." };

    private static string NameError(string value) =>
        $"name: '{value}' must match {DriverName.Pattern} (lower-case letters, digits and dashes, at most 63 characters).";
}
