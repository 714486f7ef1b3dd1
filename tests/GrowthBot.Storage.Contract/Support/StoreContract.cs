namespace GrowthBot.Storage.Contract.Support;

/// <summary>
/// The base of every contract class: a fresh store per test from the derived class's provider.
/// A contract class is abstract and holds the tests; Lite/ and Postgres/ derive it once each.
/// </summary>
public abstract class StoreContract(IStoreProvider provider) : IDisposable
{
    protected IStoreProvider Provider { get; } = provider;

    /// <summary>Opens the test's store (again: a restart).</summary>
    protected IStoreSession Open() => Provider.Open();

    public void Dispose()
    {
        Provider.Dispose();
        GC.SuppressFinalize(this);
    }
}
