using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// Surveys in the same LiteDB file as everything else (and under its lock): runs, invitations
/// (indexed by run, person and state), the recipients mapping chat users to customers, and the
/// button signing key. Also answers <see cref="ISurveyComments"/> from the stored responses.
/// </summary>
public sealed class LiteSurveyStore : ISurveyStore, ISurveyComments
{
    internal const string RunsCollection = "survey_runs";
    internal const string InvitationsCollection = "survey_invitations";
    internal const string RecipientsCollection = "survey_recipients";
    internal const string MetaCollection = "survey_meta";
    private const string SigningKeyId = "signing-key";

    // Tens of MB at most (an invitation remembers up to 16 delivery ids): the people answering a campaign at once fit.
    private const int InvitationCacheCapacity = 50_000;

    private static readonly BsonValue[] ActiveStates =
        [InvitationState.Pending.ToString(), InvitationState.Invited.ToString(), InvitationState.Reminded.ToString()];

    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _runs;
    private readonly ILiteCollection<BsonDocument> _invitations;
    private readonly ILiteCollection<BsonDocument> _recipients;
    private readonly InvitationCache _cache = new(InvitationCacheCapacity);
    private readonly Lock _keyGate = new();
    private int _commentIndexReady;

    public LiteSurveyStore(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _database = store.Database;
        _runs = _database.GetCollection(RunsCollection);
        _invitations = _database.GetCollection(InvitationsCollection);
        _recipients = _database.GetCollection(RecipientsCollection);
        _invitations.EnsureIndex("run");
        _invitations.EnsureIndex("person");
        _invitations.EnsureIndex("state");
        _recipients.EnsureIndex("customer");
    }

    public void SaveRecipients(IReadOnlyCollection<SurveyRecipient> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        InTransaction(() =>
        {
            foreach (var recipient in recipients) _recipients.Upsert(SurveyBson.From(recipient));
        });
    }

    /// <summary>Every chat user linked to a customer (for <c>growthbot migrate</c>, which copies them to another store).</summary>
    public IReadOnlyList<SurveyRecipient> AllRecipients() => _recipients.FindAll().Select(SurveyBson.ToRecipient).ToList();

    public SurveyRecipient? FindRecipient(ChatPlatform platform, string userId) =>
        _recipients.FindById(SurveyBson.PersonKey(platform, userId)) is { } document ? SurveyBson.ToRecipient(document) : null;

    public IReadOnlyList<SurveyRecipient> RecipientsOf(string customerId) =>
        _recipients.Find(Query.EQ("customer", customerId)).Select(SurveyBson.ToRecipient).ToList();

    public void SaveRun(SurveyRun run) => _runs.Upsert(SurveyBson.From(run));

    public SurveyRun? FindRun(string runId) =>
        string.IsNullOrEmpty(runId) ? null : _runs.FindById(runId) is { } document ? SurveyBson.ToRun(document) : null;

    public IReadOnlyList<SurveyRun> Runs() =>
        _runs.FindAll().Select(SurveyBson.ToRun).OrderByDescending(run => run.StartedAt).ThenBy(run => run.Id, StringComparer.Ordinal).ToList();

    public void SaveInvitations(IReadOnlyCollection<SurveyInvitation> invitations)
    {
        ArgumentNullException.ThrowIfNull(invitations);
        if (invitations.Count == 0) return;
        var own = InTransaction(() =>
        {
            foreach (var invitation in invitations) _invitations.Upsert(SurveyBson.From(invitation));
        });
        Committed(own, invitations);
    }

    public int AddInvitations(IReadOnlyCollection<SurveyInvitation> invitations)
    {
        ArgumentNullException.ThrowIfNull(invitations);
        var added = new List<SurveyInvitation>();
        var own = InTransaction(() =>
        {
            foreach (var invitation in invitations)
            {
                if (_invitations.FindById(invitation.Id) is not null) continue;
                _invitations.Insert(SurveyBson.From(invitation));
                added.Add(invitation);
            }
        });
        Committed(own, added);
        return added.Count;
    }

    public SurveyInvitation? FindInvitation(string invitationId)
    {
        if (string.IsNullOrEmpty(invitationId)) return null;
        if (_cache.TryGet(invitationId, out var cached)) return cached;
        var version = _cache.Version;
        if (_invitations.FindById(invitationId) is not { } document) return null;
        var invitation = SurveyBson.ToInvitation(document);
        _cache.RememberRead(invitation, version);
        return invitation;
    }

    public IReadOnlyList<SurveyInvitation> InvitationsOfRun(string runId) =>
        _invitations.Find(Query.EQ("run", runId)).Select(SurveyBson.ToInvitation).ToList();

    public IReadOnlyList<SurveyInvitation> InvitationsOf(ChatPlatform platform, string userId) =>
        _invitations.Find(Query.EQ("person", SurveyBson.PersonKey(platform, userId))).Select(SurveyBson.ToInvitation).ToList();

    public IReadOnlyList<SurveyInvitation> Active() =>
        _invitations.Find(Query.In("state", ActiveStates)).Select(SurveyBson.ToInvitation).ToList();

    public IReadOnlyList<Core.Data.Ticket> TicketsResolvedSince(DateTimeOffset since) =>
        _database.GetCollection(LiteGrowthStore.TicketsCollection)
            .Find(Query.GTE("resolved_at", since.UtcDateTime))
            .Select(BsonRows.ToTicket)
            .ToList();

    public string SigningKey(Func<string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (_keyGate)
        {
            var meta = _database.GetCollection(MetaCollection);
            if (meta.FindById(SigningKeyId) is { } existing) return existing["value"].AsString;
            var key = create();
            meta.Insert(new BsonDocument { ["_id"] = SigningKeyId, ["value"] = key });
            return key;
        }
    }

    public IReadOnlyList<SurveyComment> Recent(DateTimeOffset since, DateTimeOffset until, int limit = 50, IReadOnlyCollection<SurveyKind>? kinds = null)
    {
        if (limit <= 0 || until <= since || kinds is { Count: 0 }) return [];
        var names = kinds?.Select(kind => kind.ToString().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var responses = _database.GetCollection(LiteGrowthStore.ResponsesCollection);
        if (Interlocked.Exchange(ref _commentIndexReady, 1) == 0) responses.EnsureIndex("at");
        var customers = _database.GetCollection(LiteGrowthStore.CustomersCollection);
        // Newest first through the index on time, so a busy period is read only as far as the limit needs.
        return responses.Query()
            .Where(Query.And(Query.GTE("at", since.UtcDateTime), Query.LT("at", until.UtcDateTime)))
            .OrderByDescending("at")
            .ToEnumerable()
            .Where(document => !document["comment"].IsNull && !string.IsNullOrWhiteSpace(document["comment"].AsString)
                && (names is null || names.Contains(document["survey"].AsString)))
            .Take(limit)
            .Select(BsonRows.ToResponse)
            .Select(response => new SurveyComment(
                response.Survey, response.Score, response.Comment!.Trim(), response.CustomerId,
                customers.FindById(response.CustomerId) is { } customer ? customer["segment"].AsString : null,
                new DateTimeOffset(response.RespondedAt)))
            .ToList();
    }

    private void Committed(bool ownTransaction, IReadOnlyCollection<SurveyInvitation> invitations)
    {
        if (ownTransaction) _cache.Committed(invitations);
        else _cache.Abandon();
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction (LiteDB transactions belong to the calling thread);
    /// false when it joined a transaction the caller had already begun, which the caller commits.
    /// </summary>
    private bool InTransaction(Action write)
    {
        var own = _database.BeginTrans();
        try
        {
            write();
            if (own) _database.Commit();
            return own;
        }
        catch
        {
            if (own) _database.Rollback();
            throw;
        }
    }
}
