using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrowthBot.Core.Tests.Conversations;

public sealed class ConversationWorkerTests
{
    private static readonly Requester Ana = new(ChatPlatform.Slack, "U1", "T1", false);

    [Fact]
    public async Task AConversationWhoseRepliesAreHeldUp_DoesNotHoldUpOtherConversations()
    {
        var replier = new GatedReplier("C-slow");
        var (worker, queue) = Worker(replier);
        using var stopping = new CancellationTokenSource();
        await worker.StartAsync(stopping.Token);

        // More messages for the held-up channel than the worker answers at once.
        for (var i = 0; i < 12; i++) queue.Enqueue(Message($"slow-{i}", "C-slow", $"q{i}"));
        queue.Enqueue(Message("fast-1", "C-fast", "hello"));

        Assert.Equal("C-fast", await replier.Delivered.Reader.ReadAsync(TimeoutToken()));
        replier.Open();
        var slow = new List<string>();
        for (var i = 0; i < 12; i++) slow.Add(await replier.Delivered.Reader.ReadAsync(TimeoutToken()));
        await stopping.CancelAsync();
        await worker.StopAsync(CancellationToken.None);

        Assert.All(slow, conversation => Assert.Equal("C-slow", conversation));
        Assert.Equal([.. Enumerable.Range(0, 12).Select(i => $"answer to q{i}")], replier.TextsFor("C-slow"));
    }

    [Fact]
    public async Task MessagesOfOneConversation_AreAnsweredInTheOrderTheyArrived()
    {
        var replier = new GatedReplier(null);
        var (worker, queue) = Worker(replier);
        using var stopping = new CancellationTokenSource();
        await worker.StartAsync(stopping.Token);

        for (var i = 0; i < 40; i++) queue.Enqueue(Message($"m{i}", $"C{i % 3}", $"q{i}"));
        for (var i = 0; i < 40; i++) await replier.Delivered.Reader.ReadAsync(TimeoutToken());
        await stopping.CancelAsync();
        await worker.StopAsync(CancellationToken.None);

        for (var c = 0; c < 3; c++)
        {
            var expected = Enumerable.Range(0, 40).Where(i => i % 3 == c).Select(i => $"answer to q{i}");
            Assert.Equal(expected, replier.TextsFor($"C{c}"));
        }
    }

    [Fact]
    public async Task Start_PendingOlderThanTheMaximumAge_IsGivenUpNotAnsweredAgain()
    {
        var replier = new GatedReplier(null);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        var stale = Message("stale", "C1", "asked two days ago");   // received 2026-11-26 09:00
        var fresh = Message("fresh", "C1", "asked an hour ago") with { ReceivedAt = time.GetUtcNow().AddHours(-1) };
        var inbox = new MemoryInbox { Left = [stale, fresh] };
        var worker = new ConversationWorker(new InboundMessages(), inbox, new EchoHandler(), [replier], [], [], NullLogger<ConversationWorker>.Instance,
            time, Microsoft.Extensions.Options.Options.Create(new ConversationOptions { PendingMaxAge = TimeSpan.FromDays(1) }));
        using var stopping = new CancellationTokenSource();

        await worker.StartAsync(stopping.Token);
        Assert.Equal("C1", await replier.Delivered.Reader.ReadAsync(TimeoutToken()));
        await stopping.CancelAsync();
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(["answer to asked an hour ago"], replier.TextsFor("C1"));
        Assert.Contains("stale", inbox.Completed);
    }

    [Fact]
    public async Task DeliverAsync_MarksTheMessageAnswered_ReplyAsync_LeavesTheInboxAlone()
    {
        var replier = new GatedReplier(null);
        var inbox = new MemoryInbox();
        var worker = new ConversationWorker(new InboundMessages(), inbox, new EchoHandler(), [replier], [], [], NullLogger<ConversationWorker>.Instance);

        await worker.DeliverAsync(Message("recorded", "C1", "q1"), ChatMessage.Plain("a1"), CancellationToken.None);
        // A survey press is never recorded in the inbox (its delivery id is kept with the answer): nothing to look up or mark.
        Assert.True(await worker.ReplyAsync(Message("press", "C1", "q2"), ChatMessage.Plain("a2"), CancellationToken.None));

        Assert.Equal(["recorded"], inbox.Completed);
        Assert.Equal(["a1", "a2"], replier.TextsFor("C1"));
    }

    [Fact]
    public async Task APressLeftPendingByACrash_IsAnsweredAsAPress_NotAsTypedText()
    {
        var replier = new GatedReplier(null);
        var press = new IncomingAction(ChatPlatform.Slack, "T1:action:U1:1", "C1", null, Ana, "metric.more", "churn|2026-11", Now);
        var inbox = new MemoryInbox { Left = [new IncomingMessage(ChatPlatform.Slack, press.DeliveryId, "C1", null, Ana, press.Value, Now, null, press)] };
        var worker = new ConversationWorker(new InboundMessages(), inbox, new EchoHandler(), [replier], [], [new ButtonHandler()], NullLogger<ConversationWorker>.Instance,
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now.AddMinutes(5)));
        using var stopping = new CancellationTokenSource();

        await worker.StartAsync(stopping.Token);
        await replier.Delivered.Reader.ReadAsync(TimeoutToken());
        await stopping.CancelAsync();
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(["pressed metric.more with churn|2026-11"], replier.TextsFor("C1"));
        Assert.Equal([press.DeliveryId], inbox.Completed);
    }

    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private sealed class ButtonHandler : IActionHandler
    {
        public bool CanHandle(string actionId) => actionId.StartsWith("metric.", StringComparison.Ordinal);

        public Task<ChatMessage?> HandleActionAsync(IncomingAction action, CancellationToken cancellationToken) =>
            Task.FromResult<ChatMessage?>(ChatMessage.Plain($"pressed {action.ActionId} with {action.Value}"));
    }

    private static CancellationToken TimeoutToken() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    private static IncomingMessage Message(string delivery, string conversation, string text) =>
        new(ChatPlatform.Slack, delivery, conversation, null, Ana, text, new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    private static (ConversationWorker Worker, InboundMessages Queue) Worker(IChatReplier replier)
    {
        var queue = new InboundMessages();
        var worker = new ConversationWorker(queue, new MemoryInbox(), new EchoHandler(), [replier], [], [], NullLogger<ConversationWorker>.Instance);
        return (worker, queue);
    }

    private sealed class EchoHandler : IConversationHandler
    {
        public Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken) =>
            Task.FromResult<ChatMessage?>(ChatMessage.Plain($"answer to {message.Text}"));
    }

    /// <summary>Records replies; replies to the gated conversation wait until the gate opens (like a paced or rate-limited channel).</summary>
    private sealed class GatedReplier(string? gated) : IChatReplier
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<(string Conversation, string Text)> _replies = new();

        public System.Threading.Channels.Channel<string> Delivered { get; } = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public ChatPlatform Platform => ChatPlatform.Slack;

        public void Open() => _gate.TrySetResult();

        public IEnumerable<string> TextsFor(string conversation) => _replies.Where(reply => reply.Conversation == conversation).Select(reply => reply.Text);

        public async Task ReplyAsync(IncomingMessage message, ChatMessage reply, CancellationToken cancellationToken)
        {
            if (message.ConversationId == gated) await _gate.Task.WaitAsync(cancellationToken);
            _replies.Enqueue((message.ConversationId, reply.FallbackText));
            Delivered.Writer.TryWrite(message.ConversationId);
        }
    }

    private sealed class MemoryInbox : IInbox
    {
        public ConcurrentQueue<string> Completed { get; } = new();

        public bool TryAccept(IncomingMessage message) => true;

        public void Complete(IncomingMessage message) => Completed.Enqueue(message.DeliveryId);

        public IReadOnlyList<IncomingMessage> Left { get; init; } = [];

        public IReadOnlyList<IncomingMessage> Pending() => Left;
    }
}
