using System.Collections.Concurrent;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Storage;

/// <summary>
/// Invitations as last committed, by id, so a button press finds its invitation without a LiteDB
/// query (a query parses and compiles an expression each time: it was the costliest part of a
/// press). Safe because this process is the file's only writer and every invitation write goes
/// through <see cref="LiteSurveyStore"/>, which tells the cache after its commit. A read that
/// raced with a write is not cached (the version check), so the cache never holds an older
/// invitation than the store. Bounded: when full it starts again empty.
/// </summary>
internal sealed class InvitationCache(int capacity)
{
    private readonly ConcurrentDictionary<string, SurveyInvitation> _byId = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;
    private bool _abandoned;

    /// <summary>Taken before reading the store; pass it to <see cref="RememberRead"/>.</summary>
    public long Version => Interlocked.Read(ref _version);

    public bool TryGet(string id, out SurveyInvitation invitation) => _byId.TryGetValue(id, out invitation!);

    /// <summary>Caches what the store returned, unless an invitation was written since <paramref name="versionBeforeRead"/>.</summary>
    public void RememberRead(SurveyInvitation invitation, long versionBeforeRead)
    {
        lock (_gate)
        {
            if (_version == versionBeforeRead) Put(invitation);
        }
    }

    /// <summary>After a commit: these are now the stored invitations.</summary>
    public void Committed(IEnumerable<SurveyInvitation> invitations)
    {
        lock (_gate)
        {
            _version++;
            foreach (var invitation in invitations) Put(invitation);
        }
    }

    /// <summary>
    /// After a write inside a caller's transaction, whose commit this store does not see: a read on
    /// another thread could cache the version from before that commit, so from now on nothing is cached.
    /// </summary>
    public void Abandon()
    {
        lock (_gate)
        {
            _abandoned = true;
            _version++;
            _byId.Clear();
        }
    }

    private void Put(SurveyInvitation invitation)
    {
        if (_abandoned) return;
        if (_byId.Count >= capacity && !_byId.ContainsKey(invitation.Id)) _byId.Clear();
        _byId[invitation.Id] = invitation;
    }
}
