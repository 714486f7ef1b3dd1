namespace GrowthBot.Core.Surveys;

/// <summary>
/// One lock per invitation, taken by everything that reads an invitation to change it: a press and
/// a reminder or expiry racing on the same invitation must not overwrite each other. A press holds
/// its lock until its answer is committed, so the locks are exact (one per invitation id, dropped
/// when nobody holds or waits for it): with striped locks, unrelated presses sharing a stripe
/// would wait for each other's commit and cap how many answers one group commit can carry.
/// </summary>
public sealed class SurveyLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<Held> EnterAsync(string invitationId, CancellationToken cancellationToken)
    {
        var key = invitationId ?? string.Empty;
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                _entries.Add(key, entry);
            }
            entry.Users++;
        }
        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, entry);
            throw;
        }
        return new Held(this, key, entry);
    }

    /// <summary>How many invitations have a lock held or awaited (for tests: finished presses leave none behind).</summary>
    internal int Count
    {
        get
        {
            lock (_entries) return _entries.Count;
        }
    }

    private void Leave(string key, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.Users == 0) _entries.Remove(key);
        }
    }

    /// <summary>Releases the lock when disposed.</summary>
    public readonly struct Held : IDisposable
    {
        private readonly SurveyLocks? _owner;
        private readonly string _key;
        private readonly Entry? _entry;

        internal Held(SurveyLocks owner, string key, Entry entry)
        {
            _owner = owner;
            _key = key;
            _entry = entry;
        }

        public void Dispose()
        {
            if (_owner is null || _entry is null) return;
            _entry.Gate.Release();
            _owner.Leave(_key, _entry);
        }
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Holders plus waiters; guarded by the dictionary's lock.</summary>
        public int Users { get; set; }
    }
}
