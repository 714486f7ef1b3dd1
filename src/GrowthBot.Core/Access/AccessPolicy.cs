using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Access;

/// <summary>
/// Staff are: anyone on the command line; anyone whose user id is in <see cref="AccessOptions.AllowedUserIds"/>;
/// otherwise a sender who is not a guest and whose organisation (Slack workspace, Teams tenant) is one
/// of the home ids for that platform. Slack Connect users from other workspaces, Slack guests,
/// Teams guests and users of other tenants are not staff. On Slack Enterprise Grid, a member of a home
/// organisation (<see cref="AccessOptions.SlackHomeEnterpriseIds"/>) is staff in every workspace of it. Slack and user ids match exactly; tenant
/// ids are GUIDs and match ignoring case.
/// </summary>
public sealed class AccessPolicy : IAccessPolicy
{
    private readonly HashSet<string> _slackTeams;
    private readonly HashSet<string> _slackEnterprises;
    private readonly HashSet<string> _teamsTenants;
    private readonly HashSet<string> _allowedUsers;

    public AccessPolicy(AccessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _slackTeams = Ids(options.SlackHomeTeamIds, StringComparer.Ordinal);
        _slackEnterprises = Ids(options.SlackHomeEnterpriseIds, StringComparer.Ordinal);
        _teamsTenants = Ids(options.TeamsHomeTenantIds, StringComparer.OrdinalIgnoreCase);
        _allowedUsers = Ids(options.AllowedUserIds, StringComparer.Ordinal);
    }

    public bool IsStaff(Requester requester)
    {
        ArgumentNullException.ThrowIfNull(requester);
        if (requester.Platform == ChatPlatform.CommandLine) return true;
        if (!string.IsNullOrWhiteSpace(requester.UserId) && _allowedUsers.Contains(requester.UserId.Trim())) return true;
        if (requester.IsGuest) return false;
        if (requester.Platform == ChatPlatform.Slack && !string.IsNullOrWhiteSpace(requester.EnterpriseId) && _slackEnterprises.Contains(requester.EnterpriseId.Trim())) return true;
        if (string.IsNullOrWhiteSpace(requester.OrganisationId)) return false;
        var organisation = requester.OrganisationId.Trim();
        return requester.Platform switch
        {
            ChatPlatform.Slack => _slackTeams.Contains(organisation),
            ChatPlatform.Teams => _teamsTenants.Contains(organisation),
            _ => false,
        };
    }

    private static HashSet<string> Ids(IEnumerable<string>? entries, StringComparer comparer) =>
        (entries ?? [])
            .SelectMany(entry => (entry ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(comparer);
}
