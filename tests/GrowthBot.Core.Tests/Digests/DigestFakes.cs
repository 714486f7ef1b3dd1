using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Tests.Digests;

/// <summary>Comments handed out as configured; records which surveys and periods were asked for.</summary>
internal sealed class FakeComments : ISurveyComments
{
    public List<SurveyComment> Comments { get; } = [];

    public List<(IReadOnlyCollection<SurveyKind> Surveys, DateTime Since, DateTime Until)> Asked { get; } = [];

    /// <summary>A comment as the store gives it, for the tests' tables.</summary>
    public static SurveyComment Comment(SurveyKind kind, int score, string text, DateTime at) => new(kind, score, text, "c1", "SMB", new DateTimeOffset(at, TimeSpan.Zero));

    public IReadOnlyList<SurveyComment> Recent(DateTimeOffset since, DateTimeOffset until, int limit = 50, IReadOnlyCollection<SurveyKind>? kinds = null)
    {
        var surveys = kinds ?? Enum.GetValues<SurveyKind>();
        lock (Asked) Asked.Add((surveys, since.UtcDateTime, until.UtcDateTime));
        return Comments.Where(comment => surveys.Contains(comment.Kind) && comment.At >= since && comment.At < until)
            .OrderByDescending(comment => comment.At).Take(limit).ToList();
    }
}

/// <summary>Returns a fixed PNG header and remembers the charts it was asked to draw.</summary>
internal sealed class FakeChart : ITrendChartRenderer
{
    public List<TrendChart> Drawn { get; } = [];

    public byte[] RenderPng(TrendChart chart)
    {
        lock (Drawn) Drawn.Add(chart);
        return [0x89, 0x50, 0x4E, 0x47];
    }
}

/// <summary>An in-memory <see cref="ISubscriptionStore"/> with the same claim rules as the LiteDB one.</summary>
internal sealed class FakeSubscriptionStore : ISubscriptionStore
{
    private readonly Dictionary<string, DigestSubscription> _subscriptions = [];
    private readonly Dictionary<MetricId, decimal> _targets = [];
    private readonly Dictionary<(string, string), DeliveryRecord> _deliveries = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<DeliveryRecord> Deliveries
    {
        get
        {
            lock (_gate) return [.. _deliveries.Values];
        }
    }

    public IReadOnlyList<DigestSubscription> All()
    {
        lock (_gate) return [.. _subscriptions.Values.OrderBy(subscription => subscription.SubscribedAt)];
    }

    public DigestSubscription? Find(string id)
    {
        lock (_gate) return _subscriptions.GetValueOrDefault(id);
    }

    public IReadOnlyList<DigestSubscription> ForConversation(ChatPlatform platform, string conversationId) =>
        All().Where(subscription => subscription.Platform == platform && subscription.ConversationId == conversationId).ToList();

    public void Save(DigestSubscription subscription)
    {
        lock (_gate) _subscriptions[subscription.Id] = subscription;
    }

    public bool Remove(string id)
    {
        lock (_gate) return _subscriptions.Remove(id);
    }

    public IReadOnlyDictionary<MetricId, decimal> Targets()
    {
        lock (_gate) return new Dictionary<MetricId, decimal>(_targets);
    }

    public void SetTarget(MetricId metric, decimal? value)
    {
        lock (_gate)
        {
            if (value is { } target) _targets[metric] = target;
            else _targets.Remove(metric);
        }
    }

    public DeliveryRecord? Delivery(string subscriptionId, string periodKey)
    {
        lock (_gate) return _deliveries.GetValueOrDefault((subscriptionId, periodKey));
    }

    public DeliveryClaim TryClaim(string subscriptionId, string periodKey, string owner, DateTimeOffset now)
    {
        lock (_gate)
        {
            var previous = _deliveries.GetValueOrDefault((subscriptionId, periodKey));
            var granted = previous is null || previous.State == DeliveryState.Failed || (previous.State == DeliveryState.Sending && previous.Owner != owner);
            if (!granted) return new DeliveryClaim(false, previous!, previous);
            var claim = new DeliveryRecord(subscriptionId, periodKey, DeliveryState.Sending, owner, (previous?.Attempts ?? 0) + 1, now);
            _deliveries[(subscriptionId, periodKey)] = claim;
            return new DeliveryClaim(true, claim, previous);
        }
    }

    public void Complete(string subscriptionId, string periodKey, DeliveryState state, DateTimeOffset now, string? messageId = null, string? problem = null)
    {
        lock (_gate)
        {
            var current = _deliveries.GetValueOrDefault((subscriptionId, periodKey)) ?? new DeliveryRecord(subscriptionId, periodKey, state, string.Empty, 1, now);
            _deliveries[(subscriptionId, periodKey)] = current with { State = state, UpdatedAt = now, MessageId = messageId, Error = problem };
        }
    }
}

/// <summary>A chat platform that records what it was sent and fails as scripted, per conversation.</summary>
internal sealed class FakeSender(ChatPlatform platform = ChatPlatform.Slack) : IChatSender
{
    private readonly Dictionary<string, Queue<ChatDeliveryFailure>> _failures = [];
    private int _counter;

    public ChatPlatform Platform => platform;

    public List<(ChatAddress Address, ChatMessage Message)> Sent { get; } = [];

    /// <summary>Optional: called before each send (to block or to observe ordering).</summary>
    public Func<ChatAddress, Task>? BeforeSend { get; set; }

    /// <summary>Optional: called after each successful send.</summary>
    public Action? AfterSend { get; set; }

    public int Attempts;

    /// <summary>Each attempt's send id, and whether it said an earlier attempt may have posted already.</summary>
    public List<(string SendId, bool Resumed)> SendIds { get; } = [];

    public void FailNext(string conversation, params ChatDeliveryFailure[] failures)
    {
        lock (_failures)
        {
            if (!_failures.TryGetValue(conversation, out var queue)) _failures[conversation] = queue = new Queue<ChatDeliveryFailure>();
            foreach (var failure in failures) queue.Enqueue(failure);
        }
    }

    public async Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Attempts);
        if (BeforeSend is not null) await BeforeSend(address);
        lock (_failures)
        {
            if (_failures.TryGetValue(address.ConversationId, out var queue) && queue.TryDequeue(out var failure))
            {
                throw new ChatDeliveryException(failure, $"scripted {failure} for {address.ConversationId}");
            }
        }
        lock (Sent) Sent.Add((address, message));
        AfterSend?.Invoke();
        return new PostedMessage(address, $"m{Interlocked.Increment(ref _counter)}");
    }

    public Task<PostedMessage> SendOnceAsync(ChatAddress address, ChatMessage message, string sendId, bool resumed, CancellationToken cancellationToken)
    {
        lock (SendIds) SendIds.Add((sendId, resumed));
        return SendAsync(address, message, cancellationToken);
    }

    public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>An audience check that says which conversations people outside the company can read.</summary>
internal sealed class FakeAudience(ChatPlatform platform = ChatPlatform.Slack) : IConversationAudience
{
    public Dictionary<string, string> Outside { get; } = new(StringComparer.Ordinal);

    public ChatPlatform Platform => platform;

    public List<ChatAddress> Checked { get; } = [];

    public Task<ConversationAudience> CheckAsync(ChatAddress address, CancellationToken cancellationToken)
    {
        Checked.Add(address);
        return Task.FromResult(Outside.TryGetValue(address.ConversationId, out var reason) ? new ConversationAudience(false, reason) : ConversationAudience.Staff);
    }
}
