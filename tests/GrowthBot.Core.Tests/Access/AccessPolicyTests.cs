using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Tests.Access;

/// <summary>Who may read metrics. Home: Slack workspace T0HOME, Teams tenant 5f1c…; allow-list: U0ALLOWED.</summary>
public sealed class AccessPolicyTests
{
    private const string HomeTenant = "5f1c2d3e-0000-4000-8000-00000000abcd";

    private static readonly AccessPolicy Policy = PolicyWith(["T0HOME"], [HomeTenant], ["U0ALLOWED"]);

    [Theory]
    // platform, user, organisation, guest → staff?
    [InlineData(ChatPlatform.Slack, "U1", "T0HOME", false, true)] // full member of the home workspace
    [InlineData(ChatPlatform.Slack, "U1", "T0HOME", true, false)] // single- or multi-channel guest
    [InlineData(ChatPlatform.Slack, "U1", "T0OTHER", false, false)] // Slack Connect user from another workspace
    [InlineData(ChatPlatform.Slack, "U1", "t0home", false, false)] // Slack ids match exactly
    [InlineData(ChatPlatform.Slack, "U1", null, false, false)] // workspace unknown
    [InlineData(ChatPlatform.Slack, "U1", "", false, false)]
    [InlineData(ChatPlatform.Slack, "U1", HomeTenant, false, false)] // a Teams tenant id means nothing on Slack
    [InlineData(ChatPlatform.Teams, "aad-1", HomeTenant, false, true)] // member of the home tenant
    [InlineData(ChatPlatform.Teams, "aad-1", "5F1C2D3E-0000-4000-8000-00000000ABCD", false, true)] // tenant ids are GUIDs: case does not matter
    [InlineData(ChatPlatform.Teams, "aad-1", HomeTenant, true, false)] // Teams guest in the home tenant
    [InlineData(ChatPlatform.Teams, "aad-1", "11111111-2222-3333-4444-555555555555", false, false)] // user from another tenant
    [InlineData(ChatPlatform.Teams, "aad-1", "T0HOME", false, false)] // a Slack workspace id means nothing on Teams
    [InlineData(ChatPlatform.Teams, "aad-1", null, false, false)]
    [InlineData(ChatPlatform.Slack, "U0ALLOWED", "T0OTHER", true, true)] // allow-listed: staff wherever they come from
    [InlineData(ChatPlatform.Teams, "U0ALLOWED", null, true, true)]
    [InlineData(ChatPlatform.Slack, "u0allowed", "T0OTHER", false, false)] // user ids match exactly
    [InlineData(ChatPlatform.CommandLine, "cli", null, false, true)] // the command line is the operator
    [InlineData(ChatPlatform.CommandLine, "cli", null, true, true)]
    public void IsStaff(ChatPlatform platform, string user, string? organisation, bool guest, bool staff) =>
        Assert.Equal(staff, Policy.IsStaff(new Requester(platform, user, organisation, guest)));

    [Theory]
    [InlineData(ChatPlatform.Slack, "T0HOME")]
    [InlineData(ChatPlatform.Teams, HomeTenant)]
    public void IsStaff_NoHomeIdsConfigured_NobodyOnThePlatformIs(ChatPlatform platform, string organisation) =>
        Assert.False(PolicyWith([], [], []).IsStaff(new Requester(platform, "U1", organisation, false)));

    [Fact]
    public void IsStaff_SettingEntriesMayHoldSeveralCommaSeparatedIds()
    {
        var policy = PolicyWith([" T0A , T0B "], [], []);

        Assert.True(policy.IsStaff(new Requester(ChatPlatform.Slack, "U1", "T0A", false)));
        Assert.True(policy.IsStaff(new Requester(ChatPlatform.Slack, "U1", "T0B", false)));
    }

    [Fact]
    public void AddCommaSeparated_AddsIdsGivenAsOneSettingValue()
    {
        var options = new AccessOptions();

        options.AddCommaSeparated("T0A,T0B", null, " U1 ");

        Assert.Equal(["T0A", "T0B"], options.SlackHomeTeamIds);
        Assert.Empty(options.TeamsHomeTenantIds);
        Assert.Equal(["U1"], options.AllowedUserIds);
    }

    [Fact]
    public void Refusal_NamesTheCompanyMentionsSurveysAndHoldsNoNumber()
    {
        var refusal = AccessReplies.MetricsRefused("Acme").FallbackText;

        Assert.Contains("staff of Acme", refusal, StringComparison.Ordinal);
        Assert.Contains("surveys", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(refusal, char.IsDigit);
    }

    private static AccessPolicy PolicyWith(string[] slack, string[] teams, string[] users)
    {
        var options = new AccessOptions();
        foreach (var id in slack) options.SlackHomeTeamIds.Add(id);
        foreach (var id in teams) options.TeamsHomeTenantIds.Add(id);
        foreach (var id in users) options.AllowedUserIds.Add(id);
        return new AccessPolicy(options);
    }

    [Theory]
    // user's workspace, user's enterprise, guest → staff? (home org E0ORG, home workspace T0HOME)
    [InlineData("T0SALES", "E0ORG", false, true)] // a member of another workspace of the home org
    [InlineData("T0SALES", "E0ORG", true, false)] // a guest stays a guest, org or not
    [InlineData("T0SALES", "E0OTHER", false, false)] // Slack Connect: another org
    [InlineData("T0SALES", "e0org", false, false)] // ids match exactly
    [InlineData("T0SALES", null, false, false)] // not on Grid: the workspace decides
    [InlineData("T0HOME", null, false, true)]
    public void IsStaff_EnterpriseGrid_MembersOfTheHomeOrgAreStaffInEachOfItsWorkspaces(string team, string? enterprise, bool guest, bool staff)
    {
        var options = new AccessOptions();
        options.AddCommaSeparated("T0HOME", null, null, "E0ORG");
        var policy = new AccessPolicy(options);

        Assert.Equal(staff, policy.IsStaff(new Requester(ChatPlatform.Slack, "W0123", team, guest, EnterpriseId: enterprise)));
    }

    [Fact]
    public void IsStaff_AnEnterpriseIdMeansNothingOnTeams()
    {
        var options = new AccessOptions();
        options.AddCommaSeparated(null, null, null, "E0ORG");

        Assert.False(new AccessPolicy(options).IsStaff(new Requester(ChatPlatform.Teams, "aad-1", "tenant", false, EnterpriseId: "E0ORG")));
    }
}
