namespace GrowthBot.Core.Ports;

/// <summary>
/// The store could not write (or read) because of its file or disk, not because of the request: a full
/// disk, an I/O error. Nothing of the failed write was kept; the same request can be tried again later,
/// and the store recovers by itself once writing works again (see <see cref="IStoreHealth"/>).
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string problem, Exception? innerException)
        : base($"The store cannot write right now ({problem}); nothing of this change was saved, try again later.", innerException)
    {
        Problem = problem;
    }

    public StoreUnavailableException() { }

    public StoreUnavailableException(string message) : base(message) { }

    public string Problem { get; } = string.Empty;
}
