using Microsoft.Extensions.Options;

namespace DriverMirror.Mirroring;

/// <summary>
/// Start-up validation of <see cref="MirrorOptions.AllowedNetworks"/>, so a typo in the allow-list stops the app at once
/// instead of failing the first sync. Register as <c>IValidateOptions&lt;MirrorOptions&gt;</c>.
/// </summary>
public sealed class AllowedNetworksValidator : IValidateOptions<MirrorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MirrorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return AllowedNetworks.TryParse(options.AllowedNetworks, out _, out var error)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(error);
    }
}
