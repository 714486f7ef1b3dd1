namespace GrowthBot.Storage;

/// <summary>Why a store could not be opened, apart from another process holding it (<see cref="StoreLockedException"/>).</summary>
public enum StoreProblem
{
    /// <summary>A command that only reads was pointed at a file that does not exist.</summary>
    NotFound,

    /// <summary>The file exists but is not a LiteDB data file GrowthBot can read.</summary>
    Damaged,

    /// <summary>A newer version of GrowthBot wrote the store in a layout this version does not know.</summary>
    NewerLayout,
}

/// <summary>The store cannot be opened; the message says why and what to do, in one or two sentences.</summary>
public sealed class StoreOpenException : Exception
{
    public StoreOpenException(string path, StoreProblem problem, Exception? innerException = null)
        : base(MessageFor(path, problem, innerException), innerException)
    {
        Path = path;
        Problem = problem;
    }

    public StoreOpenException() { }

    public StoreOpenException(string message) : base(message) { }

    public StoreOpenException(string message, Exception innerException) : base(message, innerException) { }

    public string Path { get; } = string.Empty;

    public StoreProblem Problem { get; }

    private static string MessageFor(string path, StoreProblem problem, Exception? inner) => problem switch
    {
        StoreProblem.NotFound =>
            $"There is no store at '{path}'. Create one with 'growthbot demo' or 'growthbot import', or point at the right file with --db PATH or Storage__Path.",
        StoreProblem.NewerLayout =>
            $"The store '{path}' was written by a newer version of GrowthBot (store layout newer than {StoreLayout.Current}). " +
            "It was left untouched: run that version or a newer one, or restore a backup taken before the upgrade.",
        _ =>
            $"The store '{path}' is not a LiteDB file GrowthBot can read{(inner is null ? "" : $" ({inner.Message.TrimEnd('.')})")}. " +
            "It was left untouched: restore it from a backup, or point at another file with --db PATH or Storage__Path.",
    };
}
