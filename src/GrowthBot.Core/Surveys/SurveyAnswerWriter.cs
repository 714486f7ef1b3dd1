using System.Threading.Channels;
using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// Writes survey answers durably with group commit: answers that arrive while a write is under
/// way are written together in the next one (their responses in one store transaction through
/// <see cref="ImportService.Write"/>, so the metric engine sees them at once, then their
/// invitations in one transaction). Each caller's task completes only once its answer has been
/// committed, so whoever acknowledges the platform after awaiting it never acknowledges an answer
/// that a crash could lose. A response is written before its invitation: if the process dies in
/// between, the response (the record that counts) is there and the invitation catches up on the
/// next press.
/// </summary>
public sealed class SurveyAnswerWriter : IDisposable
{
    private const int MaxBatch = 512;
    private readonly ImportService _importer;
    private readonly ISurveyStore _store;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly Operations.GrowthBotMetrics? _metrics;

    public SurveyAnswerWriter(ImportService importer, ISurveyStore store, Operations.GrowthBotMetrics? metrics = null)
    {
        _importer = importer;
        _store = store;
        _metrics = metrics;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes once the invitation (and the response, if any) are committed; faults if the write failed.</summary>
    public Task WriteAsync(SurveyInvitation invitation, SurveyResponse? response)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var pending = new Pending(invitation, response, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Done.Task;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                Commit(batch);
                foreach (var pending in batch)
                {
                    if (pending.Response is not null) _metrics?.SurveyResponse(pending.Invitation.Platform);
                    pending.Done.TrySetResult();
                }
            }
#pragma warning disable CA1031 // A failed write fails every caller of this batch (they refuse to acknowledge); the loop goes on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                foreach (var pending in batch) pending.Done.TrySetException(exception);
            }
            batch.Clear();
        }
    }

    private void Commit(List<Pending> batch)
    {
        var responses = new GrowthDataBatch();
        foreach (var pending in batch)
        {
            if (pending.Response is not null) responses.Responses.Add(pending.Response);
        }
        if (responses.Count > 0) _importer.Write(responses);
        _store.SaveInvitations(batch.Select(pending => pending.Invitation).ToList());
    }

    private sealed record Pending(SurveyInvitation Invitation, SurveyResponse? Response, TaskCompletionSource Done);
}
