namespace DriverMirror.Cli;

/// <summary>The process exit codes scripts can rely on.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for happened.</summary>
    public const int Success = 0;

    /// <summary>The input was fine but the work failed: not found, conflict, stale record, storage unreachable, a failed sync.</summary>
    public const int Failure = 1;

    /// <summary>The input was invalid (bad name, URL, checksum, option or file); nothing was changed.</summary>
    public const int InvalidInput = 2;

    /// <summary>The run was cancelled (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
