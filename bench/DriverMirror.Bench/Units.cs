namespace DriverMirror.Bench;

/// <summary>Byte units for printing.</summary>
internal static class Units
{
    public const double MiB = 1024.0 * 1024.0;

    public const long BytesPerMiB = 1024L * 1024;
}
