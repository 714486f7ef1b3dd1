using System.Collections.Concurrent;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Tests.Surveys;

/// <summary>An in-memory <see cref="ISurveyStore"/>.</summary>
internal sealed class FakeSurveyStore : ISurveyStore
{
    private readonly ConcurrentDictionary<string, SurveyRecipient> _recipients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SurveyRun> _runs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SurveyInvitation> _invitations = new(StringComparer.Ordinal);
    private string? _key;
    private int _ticketReads;

    public int InvitationWrites { get; private set; }

    public IReadOnlyCollection<SurveyInvitation> Invitations => [.. _invitations.Values];

    public void SaveRecipients(IReadOnlyCollection<SurveyRecipient> recipients)
    {
        foreach (var recipient in recipients) _recipients[$"{recipient.Platform}:{recipient.UserId}"] = recipient;
    }

    public SurveyRecipient? FindRecipient(ChatPlatform platform, string userId) => _recipients.GetValueOrDefault($"{platform}:{userId}");

    public IReadOnlyList<SurveyRecipient> RecipientsOf(string customerId) => _recipients.Values.Where(recipient => recipient.CustomerId == customerId).ToList();

    public void SaveRun(SurveyRun run) => _runs[run.Id] = run;

    public SurveyRun? FindRun(string runId) => _runs.GetValueOrDefault(runId);

    public IReadOnlyList<SurveyRun> Runs() => _runs.Values.OrderByDescending(run => run.StartedAt).ToList();

    public void SaveInvitations(IReadOnlyCollection<SurveyInvitation> invitations)
    {
        foreach (var invitation in invitations) _invitations[invitation.Id] = invitation;
        InvitationWrites++;
    }

    public int AddInvitations(IReadOnlyCollection<SurveyInvitation> invitations) => invitations.Count(invitation => _invitations.TryAdd(invitation.Id, invitation));

    public SurveyInvitation? FindInvitation(string invitationId) => _invitations.GetValueOrDefault(invitationId);

    public IReadOnlyList<SurveyInvitation> InvitationsOfRun(string runId) => _invitations.Values.Where(invitation => invitation.RunId == runId).ToList();

    public IReadOnlyList<SurveyInvitation> InvitationsOf(ChatPlatform platform, string userId) =>
        _invitations.Values.Where(invitation => invitation.Platform == platform && invitation.UserId == userId).ToList();

    public IReadOnlyList<SurveyInvitation> Active() =>
        _invitations.Values.Where(invitation => invitation.State is InvitationState.Pending or InvitationState.Invited or InvitationState.Reminded).ToList();

    public List<Ticket> Tickets { get; } = [];

    /// <summary>How many times the tickets were read (the real stores read the whole collection).</summary>
    public int TicketReads => Volatile.Read(ref _ticketReads);

    public IReadOnlyList<Ticket> TicketsResolvedSince(DateTimeOffset since)
    {
        Interlocked.Increment(ref _ticketReads);
        return Tickets.Where(ticket => ticket.ResolvedAt is { } resolved && resolved >= since.UtcDateTime).ToList();
    }

    public string SigningKey(Func<string> create) => _key ??= create();
}

/// <summary>An in-memory <see cref="IGrowthStore"/> for responses that, like LiteDB, upserts by id and reports the versions it replaced.</summary>
internal sealed class ResponseStore : IGrowthStore
{
    public Dictionary<string, SurveyResponse> Responses { get; } = new(StringComparer.Ordinal);

    public int Writes { get; private set; }

    public bool IsEmpty => Responses.Count == 0;

    public long Generation => Writes;

    public StoreWriteResult Write(GrowthDataBatch batch, IProgress<int>? rowsWritten = null, StoreChanges? changes = null)
    {
        Writes++;
        int inserted = 0, updated = 0, unchanged = 0;
        foreach (var response in batch.Responses)
        {
            if (!Responses.TryGetValue(response.Id, out var existing)) inserted++;
            else if (existing == response) { unchanged++; continue; }
            else { updated++; changes?.Replaced.Responses.Add(existing); }
            Responses[response.Id] = response;
            changes?.Changed.Responses.Add(response);
        }
        changes?.Changed.Customers.AddRange(batch.Customers);
        changes?.Changed.Tickets.AddRange(batch.Tickets);
        return new StoreWriteResult(inserted + batch.Customers.Count + batch.Tickets.Count, updated, unchanged);
    }

    public void ReadAll(IGrowthDataSink sink) => throw new NotSupportedException();
}

/// <summary>A chat platform that records what the bot sent, opened and updated; it can be told to fail.</summary>
internal sealed class FakeChatSender(ChatPlatform platform = ChatPlatform.Slack) : IChatSender
{
    private int _counter;

    public ChatPlatform Platform => platform;

    public ConcurrentQueue<(ChatAddress Address, ChatMessage Message)> Sent { get; } = new();

    public ConcurrentQueue<(PostedMessage Posted, ChatMessage Message)> Updated { get; } = new();

    public ConcurrentQueue<ChatDeliveryException> Failures { get; } = new();

    /// <summary>Runs while a send is in flight, after the platform took the message and before the bot hears back.</summary>
    public Action? WhileSending { get; set; }

    public Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken)
    {
        if (Failures.TryDequeue(out var failure)) throw failure;
        Sent.Enqueue((address, message));
        WhileSending?.Invoke();
        return Task.FromResult(new PostedMessage(address, $"m{Interlocked.Increment(ref _counter)}"));
    }

    /// <summary>Every send made once under an id, and whether the caller said an earlier attempt may have posted it.</summary>
    public ConcurrentQueue<(string SendId, bool Resumed)> SendIds { get; } = new();

    public Task<PostedMessage> SendOnceAsync(ChatAddress address, ChatMessage message, string sendId, bool resumed, CancellationToken cancellationToken)
    {
        SendIds.Enqueue((sendId, resumed));
        return SendAsync(address, message, cancellationToken);
    }

    /// <summary>The (user, workspace) of every DM opened, in order.</summary>
    public ConcurrentQueue<(string UserId, string? Workspace)> Opened { get; } = new();

    public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken)
    {
        Opened.Enqueue((userId, workspace));
        return Task.FromResult(new ChatAddress(platform, "D-" + userId, workspace));
    }

    /// <summary>Failures the next updates throw (as the platform refuses them: the message deleted, the bot removed…).</summary>
    public ConcurrentQueue<ChatDeliveryException> UpdateFailures { get; } = new();

    public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken)
    {
        if (UpdateFailures.TryDequeue(out var failure)) throw failure;
        Updated.Enqueue((posted, message));
        return Task.CompletedTask;
    }
}
