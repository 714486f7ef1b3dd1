using System.Threading.Channels;
using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Import;

/// <summary>
/// Group commit: items that arrive while a commit is under way are committed together in the next
/// one, by a single writer loop (one store transaction and one engine apply for many callers, where
/// one each cost a disk flush each). A caller's task completes only once its batch has been
/// committed, so whoever acknowledges a sender after awaiting it never acknowledges something a
/// crash could lose. Waiting holds no thread: a burst of callers blocked on a lock starved the host
/// of the thread-pool threads that read the next requests.
/// <para>
/// When a batch fails, a store that cannot write (<see cref="StoreUnavailableException"/>) fails
/// every caller of it (nothing can be written, each refuses to acknowledge). Any other failure may
/// belong to one item only (a row the store refuses): each item is then committed on its own, so
/// only the callers whose item fails get its exception.
/// </para>
/// </summary>
/// <typeparam name="TItem">What a caller hands in.</typeparam>
/// <typeparam name="TResult">What each caller gets back once committed.</typeparam>
public sealed class GroupCommit<TItem, TResult> : IDisposable
{
    private readonly Func<IReadOnlyList<TItem>, IReadOnlyList<TResult>> _commit;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <param name="commit">Commits a batch (on the writer loop, never two at once) and returns one result per item, in order.</param>
    /// <param name="maxBatch">The most items committed together.</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, IReadOnlyList<TResult>> commit, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _commit = commit;
        _maxBatch = maxBatch;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Raised on the writer loop after each commit attempt of a batch, with its size (benches and tests watch it).</summary>
    internal event Action<int>? Committed;

    /// <summary>Completes with the item's result once its batch is committed; faults with the commit's exception if it could not be.</summary>
    public Task<TResult> CommitAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Done.Task;
    }

    /// <summary>Commits what is queued, then stops the loop (later calls throw <see cref="ObjectDisposedException"/>).</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var items = new List<TItem>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            items.AddRange(batch.Select(pending => pending.Item));
            Run(batch, items);
            Committed?.Invoke(batch.Count);
            batch.Clear();
            items.Clear();
        }
    }

    private void Run(List<Pending> batch, List<TItem> items)
    {
        try
        {
            Complete(batch, _commit(items));
        }
#pragma warning disable CA1031 // A failure goes to the callers (who refuse to acknowledge); the loop goes on.
        catch (Exception exception) when (exception is StoreUnavailableException || batch.Count == 1)
        {
            foreach (var pending in batch) pending.Done.TrySetException(exception);
        }
        catch (Exception)
        {
            // Whose item was it? Each on its own: the others are committed, the failing one gets its exception.
            foreach (var pending in batch)
            {
                try
                {
                    Complete([pending], _commit([pending.Item]));
                }
                catch (Exception exception)
                {
                    pending.Done.TrySetException(exception);
                }
            }
        }
#pragma warning restore CA1031
    }

    private static void Complete(List<Pending> batch, IReadOnlyList<TResult> results)
    {
        if (results.Count != batch.Count) throw new InvalidOperationException($"A commit of {batch.Count} items returned {results.Count} results.");
        for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Done);
}
