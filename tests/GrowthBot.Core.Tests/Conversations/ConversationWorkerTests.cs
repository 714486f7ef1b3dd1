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
    public async Task AnAnswerComputedWithoutYielding_DoesNotHoldUpTheOtherConversations()
    {
        // A question's answer is computed on the CPU (the metric engine) before anything is awaited:
        // it must not run on the loop that hands out messages, nor under its lock.
        using var computing = new ManualResetEventSlim();
        var replier = new GatedReplier(null);
        var queue = new InboundMessages();
        var worker = new ConversationWorker(queue, new MemoryInbox(), new ComputingHandler("C-busy", computing), [replier], [], [], NullLogger<ConversationWorker>.Instance);
        using var stopping = new CancellationTokenSource();
        await worker.StartAsync(stopping.Token);

        queue.Enqueue(Message("busy-1", "C-busy", "a long one"));
        queue.Enqueue(Message("fast-1", "C-fast", "hello"));

        Assert.Equal("C-fast", await replier.Delivered.Reader.ReadAsync(TimeoutToken()));
        computing.Set();
        Assert.Equal("C-busy", await replier.Delivered.Reader.ReadAsync(TimeoutToken()));
        await stopping.CancelAsync();
        await worker.StopAsync(CancellationToken.None);
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
        Assert.Equal("C1", await replier.Delivered.Reader.ReadAsync(TimeoutToken()));
        await stopping.CancelAsync();
        await worker.StopAsync(CancellationToken.None);

        // Given up, and the asker is told instead of being left waiting.
        Assert.Equal(["Sorry, I couldn't answer your question from 2026-11-26 09:00 UTC. Please ask again.", "answer to asked an hour ago"], replier.TextsFor("C1"));
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

    [Fact]
    public async Task AFailedAnswer_IsRetriedOnTheClockWithBackOff_NotOnlyAtTheNextStart()
    {
        var time = new TimerSignallingTime(Now);
        var replier = new FailingReplier(failures: 2);
        var queue = new InboundMessages();
        var inbox = new MemoryInbox();
        var worker = new ConversationWorker(queue, inbox, new EchoHandler(), [replier], [], [], NullLogger<ConversationWorker>.Instance, time,
            Microsoft.Extensions.Options.Options.Create(new ConversationOptions { RetryFirstDelay = TimeSpan.FromSeconds(30), RetryMaxDelay = TimeSpan.FromMinutes(15) }));
        using var stopping = new CancellationTokenSource();
        await worker.StartAsync(stopping.Token);

        queue.Enqueue(Message("m1", "C1", "churn?") with { ReceivedAt = Now });
        await replier.Attempted.Reader.ReadAsync(TimeoutToken());
        await WaitForTimerAsync(time);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, replier.Attempts);
        time.Advance(TimeSpan.FromSeconds(1));                       // 30 s: the first retry
        await replier.Attempted.Reader.ReadAsync(TimeoutToken());
        await WaitForTimerAsync(time);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(2, replier.Attempts);
        time.Advance(TimeSpan.FromSeconds(1));                       // then 60 s: the second, which gets through
        await replier.Attempted.Reader.ReadAsync(TimeoutToken());
        await UntilAsync(() => !inbox.Completed.IsEmpty);
        await stopping.CancelAsync();
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(3, replier.Attempts);
        Assert.Equal(["m1"], inbox.Completed);
        Assert.Equal(["answer to churn?"], replier.Delivered);
        // A failed attempt may have posted before it failed: the retries ask the replier to look first.
        Assert.Equal([false, true, true], replier.Resumed);
    }

    [Fact]
    public async Task SharedInbox_EveryThirdOfTheLease_RenewsThisHostsClaims_AndAnswersWhatADeadHostLeft()
    {
        var time = new TimerSignallingTime(Now);
        var replier = new FailingReplier(failures: 0);
        var inbox = new SharedInbox { Lapsed = [Message("left-by-dead-host", "C9", "nps?") with { ReceivedAt = Now.AddMinutes(-1) }] };
        var worker = new ConversationWorker(new InboundMessages(), inbox, new EchoHandler(), [replier], [], [], NullLogger<ConversationWorker>.Instance, time,
            Microsoft.Extensions.Options.Options.Create(new ConversationOptions { ClaimLease = TimeSpan.FromSeconds(30) }));
        using var stopping = new CancellationTokenSource();
        await worker.StartAsync(stopping.Token);

        await WaitForTimerAsync(time);
        Assert.Equal(1, inbox.Claims);                               // at start: nothing lapsed yet
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(inbox.Renewals);
        time.Advance(TimeSpan.FromSeconds(1));                       // 10 s: renew, then take over
        await replier.Attempted.Reader.ReadAsync(TimeoutToken());
        await UntilAsync(() => !inbox.Completed.IsEmpty);
        await stopping.CancelAsync();
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal([Now.AddSeconds(10)], inbox.Renewals);
        Assert.Equal(TimeSpan.FromSeconds(30), inbox.LeaseAsked);
        Assert.Equal(["left-by-dead-host"], inbox.Completed);
        Assert.Equal(["answer to nps?"], replier.Delivered);
        // The dead host may have posted the answer and died before recording it.
        Assert.Equal([true], replier.Resumed);
    }

    [Fact]
    public async Task InboxOfOneProcess_IsAskedForUnansweredMessagesOnlyAtStart()
    {
        var time = new TimerSignallingTime(Now);
        var inbox = new CountingInbox();
        var worker = new ConversationWorker(new InboundMessages(), inbox, new EchoHandler(), [new FailingReplier(failures: 0)], [], [], NullLogger<ConversationWorker>.Instance, time);
        using var stopping = new CancellationTokenSource();
        await worker.StartAsync(stopping.Token);

        time.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(50);
        await stopping.CancelAsync();
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(1, inbox.Claims);
    }

    [Fact]
    public async Task AFailedAnswer_PastTheMaximumAge_IsGivenUp_AndTheAskerIsTold()
    {
        var time = new TimerSignallingTime(Now);
        var replier = new FailingReplier(failures: int.MaxValue, except: "Sorry");
        var queue = new InboundMessages();
        var inbox = new MemoryInbox();
        var worker = new ConversationWorker(queue, inbox, new EchoHandler(), [replier], [], [], NullLogger<ConversationWorker>.Instance, time,
            Microsoft.Extensions.Options.Options.Create(new ConversationOptions
            {
                PendingMaxAge = TimeSpan.FromMinutes(10), RetryFirstDelay = TimeSpan.FromMinutes(2), RetryMaxDelay = TimeSpan.FromMinutes(4),
            }));
        using var stopping = new CancellationTokenSource();
        await worker.StartAsync(stopping.Token);

        queue.Enqueue(Message("m1", "C1", "churn?") with { ReceivedAt = Now });
        // Tries at 0, 2, 6 min; the next would be at 10 min, which is the limit: given up then.
        foreach (var step in new[] { 2, 4 })
        {
            await replier.Attempted.Reader.ReadAsync(TimeoutToken());
            await WaitForTimerAsync(time);
            time.Advance(TimeSpan.FromMinutes(step));
        }
        await replier.Attempted.Reader.ReadAsync(TimeoutToken());
        await WaitForTimerAsync(time);
        time.Advance(TimeSpan.FromMinutes(4));
        await UntilAsync(() => !replier.Delivered.IsEmpty);
        await stopping.CancelAsync();
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(3, replier.Attempts);
        Assert.Equal(["m1"], inbox.Completed);
        Assert.Equal(["Sorry, I couldn't answer your question from 2026-11-26 09:00 UTC. Please ask again."], replier.Delivered);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(6, 900)]
    [InlineData(40, 900)]
    public void RetryDelay_DoublesFromTheFirstDelay_UpToTheMaximum(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ConversationWorker.RetryDelay(new ConversationOptions(), attempt));

    [Fact]
    public async Task Stop_WhileAnAnswerIsBeingDelivered_LetsItFinishAndMarksItAnswered()
    {
        var replier = new GatedReplier("C1");
        var queue = new InboundMessages();
        var inbox = new MemoryInbox();
        using var work = new GrowthBot.Core.Operations.InFlightWork(NullLogger<GrowthBot.Core.Operations.InFlightWork>.Instance);
        var worker = new ConversationWorker(queue, inbox, new EchoHandler(), [replier], [], [], NullLogger<ConversationWorker>.Instance, inFlight: work);
        using var stopping = new CancellationTokenSource();
        await worker.StartAsync(stopping.Token);
        queue.Enqueue(Message("m1", "C1", "churn?"));
        await UntilAsync(() => work.Running.ContainsKey(ConversationWorker.WorkKind));

        // The host stops (its stop token is live until the shutdown timeout): no new message is started...
        using var hostStop = new CancellationTokenSource();
        await work.StoppingAsync(hostStop.Token);
        var stopped = worker.StopAsync(hostStop.Token);
        queue.Enqueue(Message("m2", "C2", "later"));
        Assert.False(stopped.IsCompleted);
        // ...and the one being delivered gets through and is recorded.
        replier.Open();
        await stopped.WaitAsync(TimeoutToken());

        Assert.Equal(["m1"], inbox.Completed);
        Assert.Equal(["answer to churn?"], replier.TextsFor("C1"));
        Assert.Empty(replier.TextsFor("C2"));
    }

    [Fact]
    public async Task Stop_PastTheShutdownTimeout_CancelsTheDelivery_AndLeavesTheMessagePending()
    {
        var replier = new GatedReplier("C1");
        var queue = new InboundMessages();
        var inbox = new MemoryInbox();
        using var work = new GrowthBot.Core.Operations.InFlightWork(NullLogger<GrowthBot.Core.Operations.InFlightWork>.Instance);
        var worker = new ConversationWorker(queue, inbox, new EchoHandler(), [replier], [], [], NullLogger<ConversationWorker>.Instance, inFlight: work);
        using var stopping = new CancellationTokenSource();
        await worker.StartAsync(stopping.Token);
        queue.Enqueue(Message("m1", "C1", "churn?"));
        await UntilAsync(() => work.Running.ContainsKey(ConversationWorker.WorkKind));

        using var hostStop = new CancellationTokenSource();
        await work.StoppingAsync(hostStop.Token);
        var stopped = worker.StopAsync(hostStop.Token);
        await hostStop.CancelAsync();                                  // the shutdown timeout passes
        await stopped.WaitAsync(TimeoutToken());
        await UntilAsync(() => work.Running.Count == 0);

        Assert.True(work.Abandoned.IsCancellationRequested);
        Assert.Empty(inbox.Completed);                                  // still pending: the next start answers it
        Assert.Empty(replier.TextsFor("C1"));
    }

    /// <summary>Waits for the worker (on its own threads) to reach a state; fails after 20 s instead of hanging.</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        var token = TimeoutToken();
        while (!condition()) await Task.Delay(10, token);
    }

    /// <summary>Waits until the worker has set its retry timer on the fake clock (advancing before that would skip it).</summary>
    private static async Task WaitForTimerAsync(TimerSignallingTime time) => await time.TimersCreated.Reader.ReadAsync(TimeoutToken());

    /// <summary>A fake clock that says when a timer is set on it.</summary>
    private sealed class TimerSignallingTime(DateTimeOffset start) : Microsoft.Extensions.Time.Testing.FakeTimeProvider(start)
    {
        public global::System.Threading.Channels.Channel<int> TimersCreated { get; } = global::System.Threading.Channels.Channel.CreateUnbounded<int>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimersCreated.Writer.TryWrite(0);
            return timer;
        }
    }

    /// <summary>Fails the first deliveries as a platform refusing them would (except replies that start with <paramref name="except"/>).</summary>
    private sealed class FailingReplier(int failures, string? except = null) : IChatReplier
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public System.Threading.Channels.Channel<int> Attempted { get; } = System.Threading.Channels.Channel.CreateUnbounded<int>();

        public ConcurrentQueue<string> Delivered { get; } = new();

        /// <summary>Per attempt, whether the worker said an earlier attempt may have delivered the answer.</summary>
        public ConcurrentQueue<bool> Resumed { get; } = new();

        public ChatPlatform Platform => ChatPlatform.Slack;

        public Task ReplyAsync(IncomingMessage message, ChatMessage reply, CancellationToken cancellationToken)
        {
            Resumed.Enqueue(message.Resumed);
            if (except is not null && reply.FallbackText.StartsWith(except, StringComparison.Ordinal))
            {
                Delivered.Enqueue(reply.FallbackText);
                return Task.CompletedTask;
            }
            var attempt = Interlocked.Increment(ref _attempts);
            try
            {
                if (attempt <= failures) throw new ChatDeliveryException(ChatDeliveryFailure.Transient, "Slack answered 503");
                Delivered.Enqueue(reply.FallbackText);
                return Task.CompletedTask;
            }
            finally
            {
                Attempted.Writer.TryWrite(attempt);
            }
        }
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

    /// <summary>Answers as the echo handler, but computes (blocks its thread) until released for one conversation.</summary>
    private sealed class ComputingHandler(string busy, ManualResetEventSlim done) : IConversationHandler
    {
        public Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
        {
            if (message.ConversationId == busy) done.Wait(TimeSpan.FromSeconds(30), cancellationToken);
            return Task.FromResult<ChatMessage?>(ChatMessage.Plain($"answer to {message.Text}"));
        }
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

    /// <summary>An inbox several hosts share: the first claim finds nothing, the next ones what a dead host left.</summary>
    private sealed class SharedInbox : IInbox
    {
        public ConcurrentQueue<string> Completed { get; } = new();

        public List<DateTimeOffset> Renewals { get; } = [];

        public IReadOnlyList<IncomingMessage> Lapsed { get; set; } = [];

        public int Claims { get; private set; }

        public TimeSpan? LeaseAsked { get; private set; }

        public bool IsShared => true;

        public bool TryAccept(IncomingMessage message) => true;

        public void Complete(IncomingMessage message) => Completed.Enqueue(message.DeliveryId);

        public IReadOnlyList<IncomingMessage> Pending() => Lapsed;

        public IReadOnlyList<IncomingMessage> ClaimUnanswered(DateTimeOffset now, TimeSpan lease, int max)
        {
            LeaseAsked = lease;
            if (Claims++ == 0) return [];
            var taken = Lapsed;
            Lapsed = [];
            return taken;
        }

        public void RenewClaims(DateTimeOffset now) => Renewals.Add(now);
    }

    /// <summary>An inbox of one process that counts how often it is asked for unanswered messages.</summary>
    private sealed class CountingInbox : IInbox
    {
        public int Claims { get; private set; }

        public bool TryAccept(IncomingMessage message) => true;

        public void Complete(IncomingMessage message) { }

        public IReadOnlyList<IncomingMessage> Pending() => [];

        public IReadOnlyList<IncomingMessage> ClaimUnanswered(DateTimeOffset now, TimeSpan lease, int max)
        {
            Claims++;
            return [];
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
