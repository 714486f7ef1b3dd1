using System.Text.Json.Serialization;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// One line of a recipients file: which customer a chat user answers for (and its line number, for refusals),
/// and optionally the workspace the user is in (Slack: the team or Enterprise Grid org id, <c>T…</c>/<c>E…</c>).
/// </summary>
internal sealed record RecipientLine(string CustomerId, string Platform, string UserId, long? Line = null, string? Workspace = null);

/// <summary>A campaign to start: the survey, its topic, who asks, and the recipients (linked first, then asked).</summary>
internal sealed record CampaignRequest(string Kind, string? Topic, string? StartedBy, IReadOnlyList<RecipientLine>? Recipients);

/// <summary>A campaign accepted: its run id and how many recipients it will prepare and send to in the background.</summary>
internal sealed record CampaignStarted(string RunId, int Accepted);

/// <summary>A run's progress, as the command line shows it.</summary>
internal sealed record CampaignStatus(
    string RunId, string Kind, string? Topic, string StartedBy, DateTimeOffset StartedAt, string Source, int Requested,
    int Pending, int Sent, int Failed, int Skipped, int Answered, int Commented, int Expired, double? Rate, bool DoneSending, IReadOnlyList<string> Unknown,
    IReadOnlyList<string>? Failures = null, int Preparing = 0)
{
    /// <summary>The run's status; with its invitations, the reason of every failed one too.</summary>
    public static CampaignStatus From(SurveyRunStatus status, IEnumerable<SurveyInvitation>? invitations = null) => new(
        status.Run.Id, status.Run.Kind.ToString().ToLowerInvariant(), status.Run.Topic, status.Run.StartedBy, status.Run.StartedAt,
        status.Run.Source.ToString().ToLowerInvariant(), status.Run.Requested, status.Pending, status.Sent, status.Failed, status.Skipped,
        status.Answered, status.Commented, status.Expired, status.Rate, status.DoneSending, status.Run.Unknown,
        invitations?.Where(invitation => invitation.State == InvitationState.Failed)
            .Select(invitation => $"{invitation.Platform.ToString().ToLowerInvariant()} {invitation.UserId} (customer {invitation.CustomerId}): {invitation.Problem ?? "not delivered"}")
            .ToList(),
        status.Preparing);
}

/// <summary>Why a campaign was refused: one line per problem, by line of the recipients file where there is one.</summary>
internal sealed record CampaignRefused(string Error, IReadOnlyList<string> Problems);

[JsonSerializable(typeof(CampaignRequest))]
[JsonSerializable(typeof(CampaignStarted))]
[JsonSerializable(typeof(CampaignStatus))]
[JsonSerializable(typeof(List<CampaignStatus>))]
[JsonSerializable(typeof(CampaignRefused))]
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class SurveyJson : JsonSerializerContext;

/// <summary>
/// The admin API the command line uses while the host holds the store:
/// <c>POST /internal/surveys/campaigns</c> checks the recipients and accepts the campaign with one
/// write (202 with the run id; linking, the fatigue rule and sending go on in the background, so
/// 25,000 recipients are accepted as quickly as 3); <c>GET /internal/surveys/campaigns[/{id}]</c>
/// reports progress (preparing, pending, sent, failed with reasons) and response rates.
/// Every request needs the admin credential (401 without one, 403 with a key that lacks the scope or
/// under a Host that is not this machine's or allowed).
/// </summary>
internal static class SurveyEndpoints
{
    public static IEndpointRouteBuilder MapGrowthBotSurveys(this IEndpointRouteBuilder endpoints)
    {
        // Admin only: an admin API key, or the host's own key from the owner-only host file, which the
        // command line sends. Loopback alone is not trusted: a proxy or tunnel on this machine is loopback too.
        var group = endpoints.MapGroup("/internal/surveys").RequireAuthorization(Api.Auth.ApiKeyPolicies.Admin);
        group.MapPost("/campaigns", Start);
        group.MapGet("/campaigns", (SurveyCampaigns campaigns) =>
            Results.Json(campaigns.Status().Select(status => CampaignStatus.From(status)).ToList(), SurveyJson.Default.ListCampaignStatus));
        group.MapGet("/campaigns/{id}", (string id, ISurveyStore store) =>
        {
            if (store.FindRun(id) is not { } run) return Results.Json(new { error = $"no survey run {id}" }, statusCode: StatusCodes.Status404NotFound);
            // One read of the run's invitations for both the counts and the failures: a campaign can have tens of thousands.
            var invitations = store.InvitationsOfRun(id);
            return Results.Json(CampaignStatus.From(SurveyRunStatus.Of(run, invitations), invitations), SurveyJson.Default.CampaignStatus);
        });
        return endpoints;
    }

    private static async Task<IResult> Start(HttpContext context, SurveyCampaigns campaigns, IGrowthStore growth,
        Microsoft.Extensions.Options.IOptions<Slack.SlackOptions> slack)
    {
        if (!context.Request.HasJsonContentType())
        {
            return Results.Json(new { error = "send the campaign as application/json" }, statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        CampaignRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync(SurveyJson.Default.CampaignRequest, context.RequestAborted);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or BadHttpRequestException)
        {
            return Problem("the body is not a campaign request (JSON with kind and recipients)");
        }
        if (request is null) return Problem("the body is empty");
        if (!Enum.TryParse<SurveyKind>(request.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(request.Kind, out _))
        {
            return Problem($"unknown survey '{request.Kind}': use nps, ces or csat");
        }
        if (request.Recipients is not { Count: > 0 } lines) return Problem("no recipients");
        var recipients = new List<SurveyRecipient>();
        foreach (var line in lines)
        {
            if (!TryPlatform(line.Platform, out var platform)) return Problem($"unknown platform '{line.Platform}' for customer {line.CustomerId}: use slack or teams");
            if (string.IsNullOrWhiteSpace(line.CustomerId) || string.IsNullOrWhiteSpace(line.UserId)) return Problem("every recipient needs a customer id and a user id");
            recipients.Add(new SurveyRecipient(line.CustomerId.Trim(), platform, line.UserId.Trim(), string.IsNullOrWhiteSpace(line.Workspace) ? null : line.Workspace.Trim()));
        }
        if (CampaignProblems(lines, recipients, growth, slack.Value) is { Count: > 0 } problems)
        {
            return Results.Json(new CampaignRefused("the campaign was not started; nobody was asked", problems), SurveyJson.Default.CampaignRefused,
                statusCode: StatusCodes.Status400BadRequest);
        }
        var run = campaigns.Accept(kind, request.Topic, string.IsNullOrWhiteSpace(request.StartedBy) ? "command line" : request.StartedBy, recipients);
        context.Response.Headers.Location = $"/internal/surveys/campaigns/{Uri.EscapeDataString(run.Id)}";
        return Results.Json(new CampaignStarted(run.Id, run.QueuedCount), SurveyJson.Default.CampaignStarted, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Recipients who could never be asked: on a platform this host has no credentials for (every
    /// invitation would fail), or for a customer the store does not hold (the answer would count for nobody).
    /// </summary>
    private static List<string> CampaignProblems(IReadOnlyList<RecipientLine> lines, List<SurveyRecipient> recipients, IGrowthStore growth, Slack.SlackOptions slack)
    {
        var problems = new List<string>();
        if (!slack.IsConfigured && recipients.Any(recipient => recipient.Platform == ChatPlatform.Slack))
        {
            problems.Add("Slack is not configured in this host (set Slack__BotToken and Slack__SigningSecret), so Slack recipients cannot be asked; " +
                         "leave them out with --platform teams");
        }
        var customers = growth.CustomerIds();
        for (var i = 0; i < recipients.Count; i++)
        {
            if (customers.Contains(recipients[i].CustomerId)) continue;
            var where = lines[i].Line is { } number ? $"line {number}: " : string.Empty;
            problems.Add($"{where}customer {recipients[i].CustomerId} does not exist (see growthbot customers --search)");
            if (problems.Count >= 100) break;
        }
        return problems;
    }

    internal static bool TryPlatform(string? text, out ChatPlatform platform)
    {
        platform = (text ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "slack" => ChatPlatform.Slack,
            "teams" => ChatPlatform.Teams,
            _ => ChatPlatform.CommandLine,
        };
        return platform != ChatPlatform.CommandLine;
    }

    private static IResult Problem(string error) => Results.Json(new { error }, statusCode: StatusCodes.Status400BadRequest);
}
