using System.CommandLine;
using DriverMirror.Catalog;
using DriverMirror.Cli.Output;

namespace DriverMirror.Cli.Commands;

/// <summary>
/// <c>drivers add &lt;name&gt; --url &lt;url&gt; [--checksum &lt;hex&gt;] [--builtin] [--inactive] [--kind node|cluster]
/// [--display-name &lt;text&gt;] [--description &lt;text&gt;] [--arm64-url &lt;url&gt; [--arm64-checksum &lt;hex&gt;]] [--ui-url &lt;url&gt;]</c>
/// </summary>
internal static class DriversAddCommand
{
    private const string Arm64 = "linux-arm64";

    public static Command Create(CliRuntime runtime)
    {
        var name = CliSymbols.DriverNameArgument("The new driver's name (Rancher's driver name, e.g. hetzner).");
        var url = new Option<string>("--url") { Description = "Upstream archive URL (linux-amd64), http or https; local:// for a built-in driver.", Required = true };
        var checksum = new Option<string?>("--checksum") { Description = "Pinned hex digest of the archive (md5, sha1, sha256 or sha512 by length).", HelpName = "hex" };
        var builtin = new Option<bool>("--builtin") { Description = "Rancher ships this driver itself." };
        var inactive = new Option<bool>("--inactive") { Description = "Create the driver inactive (not mirrored, not offered by Rancher)." };
        var kind = CliSymbols.KindOption("node (machine driver, default) or cluster (kontainer driver).");
        var displayName = new Option<string?>("--display-name") { Description = "Name shown to people.", HelpName = "text" };
        var description = new Option<string?>("--description") { Description = "What the driver is for.", HelpName = "text" };
        var arm64Url = new Option<string?>("--arm64-url") { Description = "Upstream archive URL for linux-arm64 servers.", HelpName = "url" };
        var arm64Checksum = new Option<string?>("--arm64-checksum") { Description = "Pinned hex digest of the linux-arm64 archive.", HelpName = "hex" };
        var uiUrl = new Option<string?>("--ui-url") { Description = "The driver's custom UI component (component.js), mirrored with its stylesheet.", HelpName = "url" };
        var command = new Command("add", "Create a driver record; it is mirrored by the next sync when active.")
        {
            name, url, checksum, builtin, inactive, kind, displayName, description, arm64Url, arm64Checksum, uiUrl,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(arm64Checksum) is not null && result.GetResult(arm64Url) is null)
            {
                result.AddError("--arm64-checksum needs --arm64-url.");
            }
        });

        runtime.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var spec = new DriverSpec
            {
                Name = parseResult.GetRequiredValue(name),
                Kind = CliSymbols.ParseKind(parseResult.GetValue(kind)) ?? DriverKind.Node,
                Url = parseResult.GetRequiredValue(url),
                Checksum = parseResult.GetValue(checksum),
                Builtin = parseResult.GetValue(builtin),
                Active = !parseResult.GetValue(inactive),
                DisplayName = parseResult.GetValue(displayName),
                Description = parseResult.GetValue(description),
                UiUrl = parseResult.GetValue(uiUrl),
                Platforms = parseResult.GetValue(arm64Url) is { } arm64
                    ? new Dictionary<string, PlatformSource> { [Arm64] = new() { Url = arm64, Checksum = parseResult.GetValue(arm64Checksum) } }
                    : null,
            };
            var record = await context.Get<DriverCatalog>().CreateAsync(spec, cancellationToken);
            await context.Out.WriteLineAsync(
                $"created driver {record.Name} ({DriverWords.Kind(record.Spec.Kind)}, {(record.Spec.Active ? "active" : "inactive")}, " +
                $"generation {record.Generation}): {DriverWords.State(record.Status.State)}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
