using System.Text.Json;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>The real question handler behind the Slack adapter: staff get numbers, guests and Slack Connect users do not.</summary>
public sealed class SlackQuestionsTests : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _slack.AddUser("U0STAFF", "T0HOME");
        _slack.AddUser("U0GUEST", "T0HOME", guest: true);
        _slack.AddUser("U0PARTNER", "T0CUSTOMER", stranger: true);
        _host = new SlackHostFactory(_slack, _store.DbPath, handler: null, environment: "Development");
        _host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task StaffMention_GetsTheNumber()
    {
        await _host.PostEventAsync(Fixture("app_mention.json"));

        var post = Assert.Single(await _slack.WaitForAsync("chat.postMessage")).Json;
        var text = post.GetProperty("text").GetString()!;
        Assert.Contains("churn", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("%", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("U0GUEST", "T0HOME")]
    [InlineData("U0PARTNER", "T0CUSTOMER")]
    public async Task GuestOrSlackConnectUser_IsRefusedPolitelyWithoutNumbers(string user, string team)
    {
        var json = Fixture("app_mention.json").Replace("\"U0STAFF\"", $"\"{user}\"", StringComparison.Ordinal).Replace("\"team\": \"T0HOME\"", $"\"team\": \"{team}\"", StringComparison.Ordinal);

        await _host.PostEventAsync(json);

        var post = Assert.Single(await _slack.WaitForAsync("chat.postMessage")).Json;
        var everything = post.GetRawText();
        Assert.Contains("only share metrics with staff", post.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d+(\.\d+)?\s*%", everything);
        Assert.Single(await _slack.WaitForAsync("users.info"));
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", name));
}
