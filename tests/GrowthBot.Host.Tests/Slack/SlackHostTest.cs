namespace GrowthBot.Host.Tests.Slack;

/// <summary>
/// One test's world: a fake Slack Web API on loopback, the real host configured against it on a
/// temporary store, and an echoing conversation handler that records what reached Core.
/// </summary>
public abstract class SlackHostTest : IAsyncLifetime
{
    private readonly TempStore _store = new();

    internal EchoHandler Handler { get; } = new();

    internal FakeSlackWebApi Slack { get; private set; } = null!;

    internal SlackHostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slack = await FakeSlackWebApi.StartAsync();
        Host = new SlackHostFactory(Slack, _store.DbPath, Handler);
        Host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Slack.DisposeAsync();
        _store.Dispose();
    }
}
