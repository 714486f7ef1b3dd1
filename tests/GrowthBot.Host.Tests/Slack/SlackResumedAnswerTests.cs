using GrowthBot.Core.Conversations;
using GrowthBot.Slack;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>
/// A message answered again after its first attempt may have posted (its host died before recording the answer,
/// or the attempt failed afterwards) is looked for in its thread by the answer's metadata before it is posted:
/// found, it is not posted twice; not found, or unreadable for good, it is posted; unreadable for now, it is retried.
/// </summary>
public sealed class SlackResumedAnswerTests : IAsyncLifetime
{
    private const string Channel = "C0ASK";
    private const string Question = "1764151200.000100";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private FakeSlackWebApi _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlackWebApi.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task Resumed_WhenAnEarlierAttemptPostedTheAnswer_IsNotPostedAgain()
    {
        var replier = await ReplierAsync();
        await replier.ReplyAsync(Asked(), ChatMessage.Plain("Churn is 2.1%"), CancellationToken.None);   // posted; then the host died

        await replier.ReplyAsync(Asked() with { Resumed = true }, ChatMessage.Plain("Churn is 2.1%"), CancellationToken.None);

        Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");
        var lookup = Assert.Single(_slack.Calls, call => call.Method == "conversations.replies");
        Assert.Contains($"ts={Question}", lookup.Body, StringComparison.Ordinal);
        Assert.Contains("include_all_metadata=true", lookup.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resumed_WhenNoAttemptPostedTheAnswer_IsPosted_CarryingTheMessagesPostId()
    {
        var replier = await ReplierAsync();

        await replier.ReplyAsync(Asked() with { Resumed = true }, ChatMessage.Plain("Churn is 2.1%"), CancellationToken.None);

        var post = Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");
        Assert.Equal("answer:T0HOME:Ev0ASK", post.Json.GetProperty("metadata").GetProperty("event_payload").GetProperty("post_id").GetString());
        Assert.Equal(Question, post.Json.GetProperty("thread_ts").GetString());
    }

    [Fact]
    public async Task Fresh_IsPostedWithoutReadingTheThread()
    {
        var replier = await ReplierAsync();

        await replier.ReplyAsync(Asked(), ChatMessage.Plain("Churn is 2.1%"), CancellationToken.None);

        Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");
        Assert.DoesNotContain(_slack.Calls, call => call.Method.StartsWith("conversations.replies", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resumed_WhenSlackRefusesToShowTheThread_IsPostedAnyway()
    {
        var replier = await ReplierAsync();
        _slack.FailNext("conversations.replies", "missing_scope");

        await replier.ReplyAsync(Asked() with { Resumed = true }, ChatMessage.Plain("Churn is 2.1%"), CancellationToken.None);

        Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");
    }

    [Fact]
    public async Task Resumed_WhenTheThreadCannotBeReadForNow_IsLeftToTheRetry_NotPosted()
    {
        var replier = await ReplierAsync();
        _slack.FailWithStatus("conversations.replies", 503);

        var failed = await Assert.ThrowsAsync<SlackApiException>(() => replier.ReplyAsync(Asked() with { Resumed = true }, ChatMessage.Plain("Churn is 2.1%"), CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.Transient, SlackChatSender.FailureOf(failed.Error));
        Assert.DoesNotContain(_slack.Calls, call => call.Method == "chat.postMessage");
    }

    private IncomingMessage Asked() =>
        new(ChatPlatform.Slack, "T0HOME:Ev0ASK", Channel, Question, new Requester(ChatPlatform.Slack, "U0STAFF", "T0HOME", false), "churn this month", _time.GetUtcNow());

    private Task<SlackReplier> ReplierAsync() => SlackReplierFactory.CreateAsync(_slack, _http, _time);
}
