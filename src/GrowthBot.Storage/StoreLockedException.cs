namespace GrowthBot.Storage;

/// <summary>Another process holds the store. LiteDB loses data with two writers, so GrowthBot refuses to share.</summary>
public sealed class StoreLockedException : Exception
{
    public StoreLockedException(string path, Exception innerException)
        : base($"The store '{path}' is in use by another GrowthBot process (a running host or another command). " +
               "LiteDB must have exactly one writer, so this process will not open it. Stop the other process, " +
               "or point this one at a different file with --db PATH or Storage__Path.", innerException)
    {
        Path = path;
    }

    public StoreLockedException() { }

    public StoreLockedException(string message) : base(message) { }

    public string Path { get; } = string.Empty;
}
