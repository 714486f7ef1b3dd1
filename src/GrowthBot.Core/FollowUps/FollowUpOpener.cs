using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Questions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Core.FollowUps;

/// <summary>
/// Opens a case for every unhappy answer that reaches the store through the host's
/// <see cref="ImportService"/> (a survey press, the import API, a CSV): stored at once, so a restart
/// loses none, then handed to the <see cref="FollowUpPoster"/>, which posts it in the background —
/// nothing is posted on the path of the survey press. One case per customer per day in the company's
/// zone: a later unhappy answer that day is counted on the first case. The comment a customer adds after
/// their score (the same answer written again) is added to the case, and its post redrawn. Answers older than
/// <see cref="MaxAge"/> when they arrive (an import of history) open none. Only surveys with a channel
/// set (<see cref="FollowUpOptions"/>) open cases.
/// </summary>
public sealed partial class FollowUpOpener(
    ImportService importer,
    IFollowUpStore store,
    FollowUpOptions options,
    CompanyOptions company,
    FollowUpPoster poster,
    TimeProvider time,
    ILogger<FollowUpOpener> logger) : IHostedService
{
    /// <summary>An answer this old when it arrives is history, not something to follow up now.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        importer.Written += OnWritten;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        importer.Written -= OnWritten;
        return Task.CompletedTask;
    }

    /// <summary>Opens cases for the unhappy answers among <paramref name="responses"/>; returns how many cases were new.</summary>
    public int Open(IEnumerable<SurveyResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var now = time.GetUtcNow();
        var zone = company.Zone();
        var opened = 0;
        var wake = false;
        foreach (var response in responses.OrderBy(response => response.RespondedAt))
        {
            if (!FollowUpRules.IsUnhappy(response.Survey, response.Score)) continue;
            if (options.Destination(response.Survey) is not { } destination) continue;
            var answeredAt = new DateTimeOffset(DateTime.SpecifyKind(response.RespondedAt, DateTimeKind.Utc));
            if (answeredAt < now - MaxAge) continue;
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(answeredAt.UtcDateTime, zone));
            var candidate = new FollowUpCase(FollowUpCase.IdFor(response.CustomerId, day), response.CustomerId, day, response.Survey, response.Score,
                response.Comment, response.Id, answeredAt, now, destination);
            var (isNew, followUp) = store.Open(candidate);
            wake |= followUp.PostState == FollowUpPostState.Pending;
            if (isNew)
            {
                opened++;
                LogOpened(followUp.Id, response.Survey, destination.Platform);
            }
            else
            {
                LogSameDay(followUp.Id);
            }
        }
        if (wake) poster.Wake();
        return opened;
    }

    private void OnWritten(object? sender, GrowthDataBatch changed)
    {
        if (changed.Responses.Count == 0) return;
        try
        {
            Open(changed.Responses);
        }
#pragma warning disable CA1031 // The answers are stored either way; a failure to open a case is logged, never thrown into the write.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened follow-up case {CaseId} for an unhappy {Survey} answer, to be posted on {Platform}")]
    private partial void LogOpened(string caseId, SurveyKind survey, Conversations.ChatPlatform platform);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another unhappy answer for follow-up case {CaseId} the same day: counted on that case")]
    private partial void LogSameDay(string caseId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Opening follow-up cases for new survey answers failed")]
    private partial void LogFailed(Exception exception);
}
