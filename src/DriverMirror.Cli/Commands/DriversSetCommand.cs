using System.CommandLine;
using DriverMirror.Catalog;

namespace DriverMirror.Cli.Commands;

/// <summary>
/// <c>drivers set &lt;name&gt; [--url &lt;url&gt;] [--checksum &lt;hex&gt;] [--display-name &lt;text&gt;] [--description &lt;text&gt;] [--ui-url &lt;url&gt;]</c>;
/// an empty value clears an optional field.
/// </summary>
internal static class DriversSetCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var name = CliSymbols.DriverNameArgument();
        var url = new Option<string?>("--url") { Description = "New upstream URL (linux-amd64); \"\" on a built-in driver means local://.", HelpName = "url" };
        var checksum = new Option<string?>("--checksum") { Description = "New pinned hex digest; \"\" removes the pin.", HelpName = "hex" };
        var displayName = new Option<string?>("--display-name") { Description = "New display name; \"\" clears it.", HelpName = "text" };
        var description = new Option<string?>("--description") { Description = "New description; \"\" clears it.", HelpName = "text" };
        var uiUrl = new Option<string?>("--ui-url") { Description = "New custom UI component URL (component.js); \"\" removes it.", HelpName = "url" };
        var command = new Command("set", "Change fields of a driver's spec; the generation increases when anything changed.")
        {
            name, url, checksum, displayName, description, uiUrl,
        };
        command.Validators.Add(result =>
        {
            if (new Option[] { url, checksum, displayName, description, uiUrl }.All(option => result.GetResult(option) is null))
            {
                result.AddError("nothing to change: give at least one of --url, --checksum, --display-name, --description, --ui-url.");
            }
        });

        runtime.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            // null: option not given, keep the field; "": clear it (the catalog normalizes blanks to absent).
            var newUrl = parseResult.GetValue(url);
            var newChecksum = parseResult.GetValue(checksum);
            var newDisplayName = parseResult.GetValue(displayName);
            var newDescription = parseResult.GetValue(description);
            var newUiUrl = parseResult.GetValue(uiUrl);
            var driverName = parseResult.GetRequiredValue(name);
            var catalog = context.Get<DriverCatalog>();
            var before = await catalog.GetAsync(driverName, cancellationToken);
            var after = await catalog.UpdateSpecAsync(driverName, ifMatch: null, spec => spec with
            {
                Url = newUrl ?? spec.Url,
                Checksum = newChecksum ?? spec.Checksum,
                DisplayName = newDisplayName ?? spec.DisplayName,
                Description = newDescription ?? spec.Description,
                UiUrl = newUiUrl ?? spec.UiUrl,
            }, cancellationToken);

            await context.Out.WriteLineAsync(after.Generation == before.Generation
                ? $"driver {after.Name} unchanged (generation {after.Generation})."
                : $"updated driver {after.Name} to generation {after.Generation}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
