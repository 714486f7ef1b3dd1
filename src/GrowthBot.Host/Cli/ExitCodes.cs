namespace GrowthBot.Host.Cli;

/// <summary>Process exit codes of the command-line verbs.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The input data was refused (bad rows); nothing was changed.</summary>
    public const int BadData = 1;
    /// <summary>The command was used wrongly (unknown verb, metric, option or date).</summary>
    public const int Usage = 2;
    /// <summary>The store is held by another process.</summary>
    public const int StoreBusy = 3;
    /// <summary>No host answers at the URL a command needs it at (or it refused the request).</summary>
    public const int HostUnavailable = 4;
}
