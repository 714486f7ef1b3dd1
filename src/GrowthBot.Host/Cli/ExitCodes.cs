namespace GrowthBot.Host.Cli;

/// <summary>Process exit codes of the command-line verbs and of the host (documented in docs/cli.md).</summary>
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
    /// <summary>A setting is invalid (the host or a command would not start with it).</summary>
    public const int BadSettings = 5;
    /// <summary>The host cannot listen on its address (another program has the port).</summary>
    public const int AddressInUse = 6;
    /// <summary>The store cannot be read: it does not exist (for a command that only reads) or is not a LiteDB file; or it cannot be written (a full disk), and nothing was.</summary>
    public const int StoreUnreadable = 7;
    /// <summary>A survey campaign asked nobody (every recipient failed).</summary>
    public const int NobodyAsked = 8;

    /// <summary><c>migrate</c>: the PostgreSQL copy does not match the LiteDB store (row counts or metric values differ).</summary>
    public const int CopyMismatch = 9;
}
