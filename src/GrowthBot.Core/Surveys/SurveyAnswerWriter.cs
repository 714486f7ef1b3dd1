using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// Writes survey answers durably with group commit (<see cref="GroupCommit{TItem, TResult}"/>):
/// answers that arrive while a write is under way are written together in the next one (their
/// responses in one store transaction through <see cref="ImportService.Write"/>, so the metric
/// engine sees them at once, then their invitations in one transaction). Each caller's task
/// completes only once its answer has been committed, so whoever acknowledges the platform after
/// awaiting it never acknowledges an answer that a crash could lose. A response is written before
/// its invitation: if the process dies in between, the response (the record that counts) is there
/// and the invitation catches up on the next press.
/// </summary>
public sealed class SurveyAnswerWriter : IDisposable
{
    private const int MaxBatch = 512;
    private readonly ImportService _importer;
    private readonly ISurveyStore _store;
    private readonly Operations.GrowthBotMetrics? _metrics;
    private readonly GroupCommit<Answer, bool> _writes;

    public SurveyAnswerWriter(ImportService importer, ISurveyStore store, Operations.GrowthBotMetrics? metrics = null)
    {
        _importer = importer;
        _store = store;
        _metrics = metrics;
        _writes = new GroupCommit<Answer, bool>(Commit, MaxBatch);
    }

    /// <summary>Completes once the invitation (and the response, if any) are committed; faults if the write failed.</summary>
    public Task WriteAsync(SurveyInvitation invitation, SurveyResponse? response)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return _writes.CommitAsync(new Answer(invitation, response));
    }

    public void Dispose() => _writes.Dispose();

    private bool[] Commit(IReadOnlyList<Answer> batch)
    {
        var responses = new GrowthDataBatch();
        foreach (var answer in batch)
        {
            if (answer.Response is not null) responses.Responses.Add(answer.Response);
        }
        if (responses.Count > 0) _importer.Write(responses);
        _store.SaveInvitations(batch.Select(answer => answer.Invitation).ToList());
        foreach (var answer in batch)
        {
            if (answer.Response is not null) _metrics?.SurveyResponse(answer.Invitation.Platform);
        }
        return new bool[batch.Count];
    }

    private sealed record Answer(SurveyInvitation Invitation, SurveyResponse? Response);
}
