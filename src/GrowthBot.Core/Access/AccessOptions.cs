namespace GrowthBot.Core.Access;

/// <summary>
/// Who counts as staff of the home organisation (configuration section <c>Access</c>). Lists bind
/// from JSON arrays, from <c>Access__SlackHomeTeamIds__0=T0123</c>, or from one comma-separated value
/// (<c>Access__SlackHomeTeamIds=T0123,T0456</c>, added by <see cref="AddCommaSeparated"/>). With no
/// home ids for a platform, nobody on it is staff (fail closed) unless listed in <see cref="AllowedUserIds"/>.
/// </summary>
public sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>Slack workspace (team) ids whose full members are staff, e.g. <c>T0123ABCD</c>.</summary>
    public IList<string> SlackHomeTeamIds { get; } = [];

    /// <summary>
    /// Slack Enterprise Grid organisation ids (<c>E0123ABCD</c>) whose full members are staff, in any
    /// of the org's workspaces: what "staff" means for an org-wide install. Guests and Slack Connect
    /// users from other organisations are still not staff.
    /// </summary>
    public IList<string> SlackHomeEnterpriseIds { get; } = [];

    /// <summary>Microsoft Entra (Azure AD) tenant ids whose members are staff.</summary>
    public IList<string> TeamsHomeTenantIds { get; } = [];

    /// <summary>User ids (Slack <c>U…</c>, Teams/Entra ids) that are staff wherever they come from.</summary>
    public IList<string> AllowedUserIds { get; } = [];

    /// <summary>
    /// Adds ids given as one comma-separated setting value, which the configuration binder does not
    /// put into a list. Null or empty values add nothing.
    /// </summary>
    public void AddCommaSeparated(string? slackHomeTeamIds, string? teamsHomeTenantIds, string? allowedUserIds, string? slackHomeEnterpriseIds = null)
    {
        Add(SlackHomeEnterpriseIds, slackHomeEnterpriseIds);
        Add(SlackHomeTeamIds, slackHomeTeamIds);
        Add(TeamsHomeTenantIds, teamsHomeTenantIds);
        Add(AllowedUserIds, allowedUserIds);
    }

    private static void Add(IList<string> list, string? value)
    {
        foreach (var id in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) list.Add(id);
    }
}
