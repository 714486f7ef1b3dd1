using System.Text.Json;
using GrowthBot.Slack.Installations;
using GrowthBot.Slack.WebApi;
using Microsoft.AspNetCore.WebUtilities;

namespace GrowthBot.Slack.Tests.Installations;

/// <summary>Which installation a payload belongs to, and what oauth.v2.access answers, read as Slack sends them.</summary>
public sealed class SlackWorkspaceTests
{
    [Fact]
    public void OfEvent_WorkspaceInstall_IsKeyedByTheTeam()
    {
        var payload = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "app_mention.json"))).RootElement;

        Assert.Equal("T:T0HOME", SlackWorkspace.OfEvent(payload));
        Assert.Equal("U0BOT", SlackWorkspace.BotUserOfEvent(payload));
    }

    [Fact]
    public void OfEvent_OrgWideInstall_IsKeyedByTheEnterprise_WhicheverWorkspaceTheEventHappenedIn()
    {
        var payload = JsonDocument.Parse("""
            {"team_id":"T0SALES","enterprise_id":"E0ORG","type":"event_callback","event_id":"Ev1","event":{"type":"app_mention"},
             "authorizations":[{"enterprise_id":"E0ORG","team_id":null,"user_id":"U0BOTORG","is_bot":true,"is_enterprise_install":true}]}
            """).RootElement;

        Assert.Equal("E:E0ORG", SlackWorkspace.OfEvent(payload));
        Assert.Equal("U0BOTORG", SlackWorkspace.BotUserOfEvent(payload));
    }

    [Fact]
    public void OfEvent_WorkspaceOfAnEnterprise_InstalledOnItsOwn_IsKeyedByTheTeam()
    {
        var payload = JsonDocument.Parse("""
            {"team_id":"T0SALES","enterprise_id":"E0ORG","type":"event_callback","event_id":"Ev1","event":{"type":"app_mention"},
             "authorizations":[{"enterprise_id":"E0ORG","team_id":"T0SALES","user_id":"U0BOT","is_bot":true,"is_enterprise_install":false}]}
            """).RootElement;

        Assert.Equal("T:T0SALES", SlackWorkspace.OfEvent(payload));
    }

    [Theory]
    [InlineData("team_id=T0ONE&user_id=U1&command=%2Fgrowth", "T:T0ONE")]
    [InlineData("team_id=T0SALES&enterprise_id=E0ORG&is_enterprise_install=true&user_id=U1", "E:E0ORG")]
    [InlineData("team_id=T0SALES&enterprise_id=E0ORG&is_enterprise_install=false&user_id=U1", "T:T0SALES")]
    public void OfCommand_ReadsTheFormFields(string form, string key) =>
        Assert.Equal(key, SlackWorkspace.OfCommand(QueryHelpers.ParseQuery(form)));

    [Fact]
    public void OfInteraction_OrgWideInstall_IsKeyedByTheEnterprise()
    {
        var payload = JsonDocument.Parse("""
            {"type":"block_actions","team":{"id":"T0SALES","domain":"sales"},"enterprise":{"id":"E0ORG","name":"Acme Org"},"is_enterprise_install":true,
             "user":{"id":"W0ONE","team_id":"T0SALES"}}
            """).RootElement;

        Assert.Equal("E:E0ORG", SlackWorkspace.OfInteraction(payload));
    }

    [Fact]
    public void OAuthAccess_WorkspaceInstall_ReadsTokenTeamAndBotUser()
    {
        var answer = JsonDocument.Parse("""
            {"ok":true,"access_token":"xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy","token_type":"bot","scope":"commands,chat:write",
             "bot_user_id":"U0KRQLJ9H","app_id":"A0KRD7HC3","team":{"name":"Slack Softball Team","id":"T9TK3CUKW"},"enterprise":null,
             "authed_user":{"id":"U1234"},"is_enterprise_install":false}
            """).RootElement;

        var access = SlackOAuthAccess.Read(answer);

        Assert.Equal(new SlackOAuthAccess("xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy", "commands,chat:write", "U0KRQLJ9H", "A0KRD7HC3",
            "T9TK3CUKW", "Slack Softball Team", null, null, false, "U1234"), access);
    }

    [Fact]
    public void OAuthAccess_OrgWideInstall_HasNoTeam()
    {
        var answer = JsonDocument.Parse("""
            {"ok":true,"access_token":"xoxb-org","token_type":"bot","scope":"commands","bot_user_id":"U0BOT","app_id":"A0GROWTH","team":null,
             "enterprise":{"name":"Acme Org","id":"E0ORG"},"authed_user":{"id":"W0ADMIN"},"is_enterprise_install":true}
            """).RootElement;

        var access = SlackOAuthAccess.Read(answer)!;

        Assert.Equal(("E0ORG", (string?)null, true), (access.EnterpriseId, access.TeamId, access.IsEnterpriseInstall));
        Assert.Equal("E:E0ORG", SlackWorkspace.Key(access.EnterpriseId, access.TeamId, access.IsEnterpriseInstall));
    }

    [Fact]
    public void OAuthAccess_WithoutABotToken_IsNotAnInstallation()
    {
        var userOnly = JsonDocument.Parse("""
            {"ok":true,"app_id":"A0GROWTH","authed_user":{"id":"U1","scope":"identify","access_token":"xoxp-1","token_type":"user"},
             "team":{"id":"T1","name":"One"},"enterprise":null,"is_enterprise_install":false}
            """).RootElement;

        Assert.Null(SlackOAuthAccess.Read(userOnly));
    }

    [Theory]
    [InlineData("T0ONE", "T:T0ONE")]
    [InlineData(" E0ORG ", "E:E0ORG")]
    [InlineData("T:T0ONE", "T:T0ONE")]
    [InlineData("E:E0ORG", "E:E0ORG")]
    [InlineData("  ", null)]
    [InlineData(null, null)]
    public void Normalize_AKeyOrATeamOrOrgIdFromARecipientsFile_IsTheInstallationKey(string? written, string? key) =>
        Assert.Equal(key, SlackWorkspace.Normalize(written));

    [Fact]
    public void OAuthAccess_WithTokenRotation_ReadsTheRefreshTokenAndExpiry()
    {
        // The shape of Slack's OAuthV2TokenRefreshResponse (and of an install with rotation on).
        var answer = JsonDocument.Parse("""
            {"ok":true,"app_id":"A0GROWTH","access_token":"xoxe.xoxb-1-abc","refresh_token":"xoxe-1-def","expires_in":43200,
             "bot_user_id":"U0BOT","scope":"chat:write","token_type":"bot","team":{"id":"T0ONE","name":"One"},"enterprise":null,"is_enterprise_install":false}
            """).RootElement;

        var access = SlackOAuthAccess.Read(answer)!;

        Assert.Equal(("xoxe.xoxb-1-abc", "xoxe-1-def", 43200), (access.AccessToken, access.RefreshToken, access.ExpiresIn));
        Assert.Null(access.AuthedUserId);
    }
}
