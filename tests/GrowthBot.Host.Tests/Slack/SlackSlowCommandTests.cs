using System.Text.Json;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>A slash command whose answer takes longer than Slack's 3 seconds.</summary>
public sealed class SlackSlowCommandTests : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private readonly GatedHandler _handler = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _host = new SlackHostFactory(_slack, _store.DbPath, _handler);
        _host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        _handler.Release();
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task SlowAnswer_ReplacesWorkingOnIt_ThroughTheResponseUrl()
    {
        var responding = _host.PostFormAsync("/slack/commands", Command("mrr by plan since march"));
        await _handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        for (var step = 0; step < 100 && !responding.IsCompleted; step++)
        {
            _host.Time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(20);
        }
        var response = await responding;
        var placeholder = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        _handler.Release();

        Assert.Equal("Working on it…", placeholder.GetProperty("text").GetString());
        var answer = Assert.Single(await _slack.WaitForAsync("response_url")).Json;
        Assert.True(answer.GetProperty("replace_original").GetBoolean());
        Assert.False(answer.TryGetProperty("response_type", out _));
        Assert.Equal("Here: mrr by plan since march", answer.GetProperty("text").GetString());
    }

    [Fact]
    public async Task SlowAnswer_ResponseUrlFails_TheCommandStaysPending()
    {
        _slack.FailWithStatus("response_url", 500);
        var responding = _host.PostFormAsync("/slack/commands", Command("nps"));
        await _handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        for (var step = 0; step < 100 && !responding.IsCompleted; step++)
        {
            _host.Time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(20);
        }
        await responding;
        _handler.Release();
        await _slack.WaitForAsync("response_url!scripted");
        await Task.Delay(200);

        var inbox = (IInbox)_host.Services.GetService(typeof(IInbox))!;
        Assert.Contains(inbox.Pending(), message => message.Text == "nps");
    }

    private Dictionary<string, string> Command(string text) => new()
    {
        ["team_id"] = "T0HOME",
        ["channel_id"] = "C0GROWTH",
        ["user_id"] = "U0STAFF",
        ["user_name"] = "staff",
        ["command"] = "/growth",
        ["text"] = text,
        ["response_url"] = _slack.ResponseUrl("slow"),
        ["trigger_id"] = $"{Guid.NewGuid():N}.47445629121.803a0bc887a14d10d2c447fce8b6703c",
    };

    /// <summary>Answers only when released, as a slow metric question does.</summary>
    private sealed class GatedHandler : IConversationHandler
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public async Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            return ChatMessage.Plain($"Here: {message.Text}");
        }
    }
}
