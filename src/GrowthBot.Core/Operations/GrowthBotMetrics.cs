using System.Diagnostics.Metrics;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Operations;

/// <summary>
/// The counters an operator watches, on one <see cref="Meter"/> named <see cref="MeterName"/>
/// (created through the host's <see cref="IMeterFactory"/>, so each host has its own): events
/// received, answers sent, digests delivered and failed, survey responses, and the depth of the
/// work queue. Counted where the thing happens in Core; the host exports them.
/// </summary>
public sealed class GrowthBotMetrics
{
    public const string MeterName = "GrowthBot";

    private readonly Counter<long> _eventsReceived;
    private readonly Counter<long> _answersSent;
    private readonly Counter<long> _digestsDelivered;
    private readonly Counter<long> _digestsFailed;
    private readonly Counter<long> _surveyResponses;

    public GrowthBotMetrics(IMeterFactory meters, InboundMessages queue, InFlightWork inFlight)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(inFlight);
        var meter = meters.Create(MeterName);
        _eventsReceived = meter.CreateCounter<long>("growthbot.events.received", "{event}", "Messages, commands and button presses accepted from Slack and Teams, once per delivery (survey answers are counted as survey responses)");
        _answersSent = meter.CreateCounter<long>("growthbot.answers.sent", "{answer}", "Answers delivered to the conversation they were asked in");
        _digestsDelivered = meter.CreateCounter<long>("growthbot.digests.delivered", "{digest}", "Scheduled digests posted");
        _digestsFailed = meter.CreateCounter<long>("growthbot.digests.failed", "{digest}", "Digest deliveries that failed (left for the next sweep) or were abandoned");
        _surveyResponses = meter.CreateCounter<long>("growthbot.survey.responses", "{response}", "Survey answers recorded (a score or a comment)");
        meter.CreateObservableGauge("growthbot.queue.depth", () => new Measurement<int>[]
        {
            new(queue.Count, new KeyValuePair<string, object?>("state", "waiting")),
            new(inFlight.Running.Values.Sum(), new KeyValuePair<string, object?>("state", "in_flight")),
        }, "{item}", "Accepted messages waiting for the worker, and sends in flight");
    }

    public void EventReceived(ChatPlatform platform) => _eventsReceived.Add(1, Platform(platform));

    public void AnswerSent(ChatPlatform platform) => _answersSent.Add(1, Platform(platform));

    public void DigestDelivered(ChatPlatform platform) => _digestsDelivered.Add(1, Platform(platform));

    public void DigestFailed(ChatPlatform platform) => _digestsFailed.Add(1, Platform(platform));

    public void SurveyResponse(ChatPlatform platform) => _surveyResponses.Add(1, Platform(platform));

    private static KeyValuePair<string, object?> Platform(ChatPlatform platform) => new("platform", platform.ToString().ToLowerInvariant());
}
