using System.Net;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Installations;
using GrowthBot.Core.Metrics;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>
/// "Add to Slack" end to end: the host's /slack/install and /slack/oauth_redirect against a loopback
/// fake of Slack's authorize page and oauth.v2.access, in install-flow mode (no Slack__BotToken);
/// then events, posts and lifecycle events of each workspace with that workspace's token.
/// </summary>
public sealed class SlackInstallTests : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _host = NewHost();
        _host.CreateClient().Dispose();
    }

    /// <summary>The host in install-flow mode over the test's store (a second one after disposing the first is a restart).</summary>
    private SlackHostFactory NewHost() =>
        new(_slack, _store.DbPath, new EchoHandler(), settings: new Dictionary<string, string>
        {
            ["Slack:BotToken"] = "",
            ["Slack:ClientId"] = FakeSlackWebApi.ClientId,
            ["Slack:ClientSecret"] = FakeSlackWebApi.ClientSecret,
            ["Slack:RedirectUrl"] = "http://localhost/slack/oauth_redirect",
            ["Slack:AuthorizeUrl"] = _slack.AuthorizeUrl,
            ["Access:SlackHomeEnterpriseIds"] = "E0ORG",
            ["Slack:RequestTimeout"] = "00:00:05", // the hanging oauth.v2.access gives up after this; shorter fails under load
        });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task Install_RedirectsToSlacksAuthorizePage_WithClientScopesRedirectAndAStateBoundToTheBrowser()
    {
        using var browser = Browser();

        var response = await browser.GetAsync("/slack/install");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(_slack.AuthorizeUrl, location.ToString(), StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(FakeSlackWebApi.ClientId, query["client_id"].ToString());
        Assert.Equal(GrowthBot.Slack.SlackOptions.DefaultScopes, query["scope"].ToString());
        Assert.Equal("http://localhost/slack/oauth_redirect", query["redirect_uri"].ToString());
        Assert.True(query["state"].ToString().Length > 40);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("slack-app-oauth-state=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(query["state"].ToString(), cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_Approved_StoresTheWorkspaceWithItsTokenEncryptedAndSaysSo()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-one-secret", "T0ONE", "One & Co", BotUserId: "U0BOTONE"));

        var page = await InstallAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("GrowthBot is installed in One &amp; Co", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var installation = Assert.Single(Installations().All(ChatPlatform.Slack));
        Assert.Equal("T:T0ONE", installation.Key);
        Assert.Equal("U0BOTONE", installation.BotUserId);
        Assert.False(installation.IsEnterpriseInstall);
        Assert.DoesNotContain("xoxb", installation.ProtectedToken, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(_store.DbPath + ".keys", "key-*.xml").Any(), "the Data Protection keys are kept next to the store");
        var exchange = Assert.Single(_slack.Calls, call => call.Method == "oauth.v2.access");
        Assert.Equal(string.Empty, exchange.Authorization);
    }

    [Fact]
    public async Task Install_Cancelled_ShowsAFriendlyPageAndStoresNothing()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-x", "T0ONE", "One", Deny: true));

        var page = await InstallAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("You cancelled the install", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Installations().All(ChatPlatform.Slack));
        Assert.DoesNotContain(_slack.Calls, call => call.Method == "oauth.v2.access");
    }

    [Fact]
    public async Task Redirect_UsedTwice_IsRefusedTheSecondTime()
    {
        using var browser = Browser();
        var back = await AuthorizeAsync(browser);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(back)).StatusCode);

        var again = await browser.GetAsync(back);

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Single(_slack.Calls, call => call.Method == "oauth.v2.access");
    }

    [Fact]
    public async Task Redirect_ReplayedAfterARestart_IsStillRefused()
    {
        using var browser = Browser();
        var start = await browser.GetAsync("/slack/install");
        var cookie = Assert.Single(start.Headers.GetValues("Set-Cookie")).Split(';')[0];
        using var toSlack = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var back = (await toSlack.GetAsync(start.Headers.Location)).Headers.Location!.PathAndQuery;
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(back)).StatusCode);

        await _host.DisposeAsync();
        _host = NewHost();
        using var replay = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, back);
        request.Headers.Add("Cookie", cookie);
        var page = await replay.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("already used", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(_slack.Calls, call => call.Method == "oauth.v2.access");
    }

    [Fact]
    public async Task Redirect_AfterTheStateExpired_IsRefused()
    {
        using var browser = Browser();
        var back = await AuthorizeAsync(browser);
        _host.Time.Advance(TimeSpan.FromMinutes(11));

        var page = await browser.GetAsync(back);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("expired", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(_slack.Calls, call => call.Method == "oauth.v2.access");
    }

    [Fact]
    public async Task Redirect_InAnotherBrowser_IsRefused()
    {
        using var browser = Browser();
        var back = await AuthorizeAsync(browser);
        using var other = Browser();

        var page = await other.GetAsync(back);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("another browser", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Installations().All(ChatPlatform.Slack));
    }

    [Fact]
    public async Task Redirect_WithAForgedState_IsRefused()
    {
        using var browser = Browser();
        await browser.GetAsync("/slack/install");

        var page = await browser.GetAsync("/slack/oauth_redirect?code=1.abc&state=forged");

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.DoesNotContain(_slack.Calls, call => call.Method == "oauth.v2.access");
    }

    [Fact]
    public async Task Redirect_CodeSlackDoesNotKnow_ShowsWhatToDoWithoutATrace()
    {
        using var browser = Browser();
        var back = await AuthorizeAsync(browser);

        var page = await browser.GetAsync(back.Replace("code=", "code=9", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("did not accept the install code", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.Empty(Installations().All(ChatPlatform.Slack));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Redirect_SlackFailsOrHangs_SaysTryAgainAndStoresNothing(bool hang)
    {
        if (hang) _slack.HangNext("oauth.v2.access");
        else _slack.FailWithStatus("oauth.v2.access", 503);

        var page = await InstallAsync();

        Assert.Equal(HttpStatusCode.BadGateway, page.StatusCode);
        Assert.Contains("Slack did not answer in time", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Installations().All(ChatPlatform.Slack));
    }

    [Fact]
    public async Task Mention_InEachInstalledWorkspace_IsAnsweredWithThatWorkspacesToken()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-one", "T0ONE", "One", BotUserId: "U0BOTONE"));
        await InstallAsync();
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-two", "T0TWO", "Two", BotUserId: "U0BOTTWO"));
        await InstallAsync();

        StaffChannel("T0TWO");

        await _host.PostEventAsync(Mention("T0TWO", "U0BOTTWO", "Ev2"));

        var post = Assert.Single(await _slack.WaitForAsync("chat.postMessage"));
        Assert.Equal("Bearer xoxb-two", post.Authorization);
        Assert.Contains("You asked: churn", post.Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.All(_slack.Calls.Where(call => call.Method is "conversations.info" or "conversations.members"), call => Assert.Equal("Bearer xoxb-two", call.Authorization));
    }

    [Fact]
    public async Task Digest_OfAnInstalledWorkspace_IsPostedWithItsToken_AndAfterUninstallIsPausedAndRefusedWithoutACall()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-one", "T0ONE", "One", BotUserId: "U0BOTONE"));
        await InstallAsync();
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-two", "T0TWO", "Two", BotUserId: "U0BOTTWO"));
        await InstallAsync();
        var one = Subscribe("C0ONE", "T:T0ONE");
        var two = Subscribe("C0TWO", "T:T0TWO");
        var sender = _host.Services.GetServices<IChatSender>().Single(sender => sender.Platform == ChatPlatform.Slack);

        await sender.SendAsync(two.Address, ChatMessage.Plain("digest"), CancellationToken.None);
        Assert.Equal("Bearer xoxb-two", Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage").Authorization);

        await _host.PostEventAsync(Uninstalled("T0TWO", "U0BOTTWO"));
        await WaitUntilAsync(() => Store().Find(two.Id)?.PausedReason is not null);

        Assert.Null(Store().Find(one.Id)!.PausedReason);
        Assert.Equal("T:T0ONE", Assert.Single(Installations().All(ChatPlatform.Slack)).Key);
        var calls = _slack.Calls.Count;
        var refused = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.SendAsync(two.Address, ChatMessage.Plain("digest"), CancellationToken.None));
        Assert.Equal(ChatDeliveryFailure.Unauthorized, refused.Failure);
        Assert.False(refused.IsTransient);
        Assert.Equal(calls, _slack.Calls.Count);
    }

    [Fact]
    public async Task TokenRevokedAtSlack_TheNextPostFailsPermanently()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-one", "T0ONE", "One", BotUserId: "U0BOTONE"));
        await InstallAsync();
        _slack.Revoke("xoxb-one");
        var sender = _host.Services.GetServices<IChatSender>().Single(sender => sender.Platform == ChatPlatform.Slack);

        var refused = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            sender.SendAsync(new ChatAddress(ChatPlatform.Slack, "C0ONE", "T:T0ONE"), ChatMessage.Plain("digest"), CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.Unauthorized, refused.Failure);
        Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");
    }

    [Theory]
    [InlineData("token_revoked")]
    [InlineData("invalid_auth")]
    [InlineData("account_inactive")]
    public async Task DeadTokenOnAWebApiCall_ForgetsThatInstallationAndPausesItsDigests_LikeTheRevocationEvent(string error)
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-one", "T0ONE", "One", BotUserId: "U0BOTONE"));
        await InstallAsync();
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-two", "T0TWO", "Two", BotUserId: "U0BOTTWO"));
        await InstallAsync();
        var one = Subscribe("C0ONE", "T:T0ONE");
        var two = Subscribe("C0TWO", "T:T0TWO");
        var sender = _host.Services.GetServices<IChatSender>().Single(sender => sender.Platform == ChatPlatform.Slack);
        if (error == "token_revoked") _slack.Revoke("xoxb-two");
        else _slack.FailNext("chat.postMessage", error);

        var refused = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.SendAsync(two.Address, ChatMessage.Plain("digest"), CancellationToken.None));

        Assert.Equal(ChatDeliveryFailure.Unauthorized, refused.Failure);
        Assert.Contains(error, Store().Find(two.Id)!.PausedReason, StringComparison.Ordinal);
        Assert.Null(Store().Find(one.Id)!.PausedReason);
        Assert.Equal("T:T0ONE", Assert.Single(Installations().All(ChatPlatform.Slack)).Key);
        var calls = _slack.Calls.Count;
        var again = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.SendAsync(two.Address, ChatMessage.Plain("digest"), CancellationToken.None));
        Assert.Equal(ChatDeliveryFailure.Unauthorized, again.Failure);
        Assert.Equal(calls, _slack.Calls.Count);
        await sender.SendAsync(one.Address, ChatMessage.Plain("digest"), CancellationToken.None);
        Assert.Equal("Bearer xoxb-one", _slack.Calls.Last(call => call.Method == "chat.postMessage").Authorization);
    }

    [Fact]
    public async Task SurveyDm_ToAPersonInAnInstalledWorkspace_OpensWithItsToken_AndWithoutAWorkspaceAmongSeveralSaysHowToNameIt()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-one", "T0ONE", "One", BotUserId: "U0BOTONE"));
        await InstallAsync();
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-two", "T0TWO", "Two", BotUserId: "U0BOTTWO"));
        await InstallAsync();
        var sender = _host.Services.GetServices<IChatSender>().Single(sender => sender.Platform == ChatPlatform.Slack);

        var linked = await sender.OpenDirectAsync("U0PERSON", "T:T0TWO", CancellationToken.None);
        var fromFile = await sender.OpenDirectAsync("U0PERSON", "T0ONE", CancellationToken.None);
        var unknown = await Assert.ThrowsAsync<ChatDeliveryException>(() => sender.OpenDirectAsync("U0PERSON", null, CancellationToken.None));

        Assert.Equal(("D0OPENED", "T:T0TWO"), (linked.ConversationId, linked.Workspace));
        Assert.Equal("T:T0ONE", fromFile.Workspace);
        Assert.Equal(["Bearer xoxb-two", "Bearer xoxb-one"], _slack.Calls.Where(call => call.Method == "conversations.open").Select(call => call.Authorization));
        Assert.Equal(ChatDeliveryFailure.UserUnavailable, unknown.Failure);
        Assert.Contains("survey link @person CUSTOMER_ID", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("workspace column", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurveyCampaign_ToAPersonLinkedInTheSecondWorkspace_IsSentWithThatWorkspacesToken()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-one", "T0ONE", "One", BotUserId: "U0BOTONE"));
        await InstallAsync();
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-two", "T0TWO", "Two", BotUserId: "U0BOTTWO"));
        await InstallAsync();
        var surveys = _host.Services.GetRequiredService<GrowthBot.Core.Ports.ISurveyStore>();
        surveys.SaveRecipients([new GrowthBot.Core.Surveys.SurveyRecipient("C-42", ChatPlatform.Slack, "U0PERSON", "T:T0TWO")]);

        // A recipients file names no workspace: the one the person was linked in is used.
        _host.Services.GetRequiredService<GrowthBot.Core.Surveys.SurveyCampaigns>().Accept(GrowthBot.Core.Data.SurveyKind.Nps, null, "command line",
            [new GrowthBot.Core.Surveys.SurveyRecipient("C-42", ChatPlatform.Slack, "U0PERSON")]);

        Assert.Equal("Bearer xoxb-two", Assert.Single(await _slack.WaitForAsync("conversations.open")).Authorization);
        Assert.Equal("Bearer xoxb-two", Assert.Single(await _slack.WaitForAsync("chat.postMessage")).Authorization);
    }

    [Fact]
    public async Task TokenRotation_RefreshesAheadOfExpiry_KeepsTheNewPairEncrypted_AndPostsWithTheNewToken()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxe.xoxb-1-first", "T0ONE", "One", BotUserId: "U0BOTONE", ExpiresIn: 43200));
        await InstallAsync();
        var installed = Assert.Single(Installations().All(ChatPlatform.Slack));
        Assert.Equal(_host.Time.GetUtcNow().AddHours(12), installed.TokenExpiresAt);
        Assert.DoesNotContain("xoxe", installed.ProtectedRefreshToken, StringComparison.Ordinal);
        var rotation = _host.Services.GetRequiredService<GrowthBot.Slack.Installations.SlackTokenRotation>();
        Assert.Equal(_host.Time.GetUtcNow().AddHours(10), await rotation.RefreshDueAsync(CancellationToken.None));

        _host.Time.Advance(TimeSpan.FromHours(10) - TimeSpan.FromMinutes(1));
        await TickUntilAsync(() => _slack.Calls.Count(call => call.Method == "oauth.v2.access") == 2);
        await WaitUntilAsync(() => Installations().Find(ChatPlatform.Slack, "T:T0ONE")?.ProtectedToken != installed.ProtectedToken);

        var refresh = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(_slack.Calls.Last(call => call.Method == "oauth.v2.access").Body);
        Assert.Equal("refresh_token", refresh["grant_type"].ToString());
        Assert.StartsWith("xoxe-1-", refresh["refresh_token"].ToString(), StringComparison.Ordinal);
        var rotated = Installations().Find(ChatPlatform.Slack, "T:T0ONE")!;
        Assert.True(rotated.TokenExpiresAt > installed.TokenExpiresAt);
        Assert.NotEqual(installed.ProtectedRefreshToken, rotated.ProtectedRefreshToken);
        Assert.DoesNotContain("xoxe", rotated.ProtectedRefreshToken + rotated.ProtectedToken, StringComparison.Ordinal);
        Assert.Equal((installed.BotUserId, installed.InstalledBy), (rotated.BotUserId, rotated.InstalledBy));
        var sender = _host.Services.GetServices<IChatSender>().Single(sender => sender.Platform == ChatPlatform.Slack);
        await sender.SendAsync(new ChatAddress(ChatPlatform.Slack, "C0ONE", "T:T0ONE"), ChatMessage.Plain("digest"), CancellationToken.None);
        Assert.Equal("Bearer xoxe.xoxb-1-rotated1", _slack.Calls.Last(call => call.Method == "chat.postMessage").Authorization);
    }

    [Fact]
    public async Task TokenRotation_SlackFailsForAMoment_IsTriedAgainAMinuteLater()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxe.xoxb-1-first", "T0ONE", "One", BotUserId: "U0BOTONE", ExpiresIn: 43200));
        await InstallAsync();
        var installed = Assert.Single(Installations().All(ChatPlatform.Slack));
        _slack.FailWithStatus("oauth.v2.access", 503);

        _host.Time.Advance(TimeSpan.FromHours(10) - TimeSpan.FromMinutes(1));
        await TickUntilAsync(() => _slack.Calls.Any(call => call.Method == "oauth.v2.access!scripted"));
        Assert.Equal(installed, Installations().Find(ChatPlatform.Slack, "T:T0ONE"));
        await TickUntilAsync(() => _slack.Calls.Count(call => call.Method == "oauth.v2.access") == 2);

        await WaitUntilAsync(() => Installations().Find(ChatPlatform.Slack, "T:T0ONE")?.ProtectedToken != installed.ProtectedToken);
    }

    [Fact]
    public async Task TokenRotation_RefreshRefusedForGood_ForgetsTheInstallationAndPausesItsDigests()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxe.xoxb-1-first", "T0ONE", "One", BotUserId: "U0BOTONE", ExpiresIn: 43200));
        await InstallAsync();
        var digest = Subscribe("C0ONE", "T:T0ONE");
        _slack.RefuseNextRefresh("invalid_refresh_token");

        _host.Time.Advance(TimeSpan.FromHours(10) - TimeSpan.FromMinutes(1));
        await TickUntilAsync(() => Store().Find(digest.Id)?.PausedReason is not null);

        Assert.Contains("invalid_refresh_token", Store().Find(digest.Id)!.PausedReason, StringComparison.Ordinal);
        Assert.Empty(Installations().All(ChatPlatform.Slack));
    }

    [Fact]
    public async Task OrgWideInstall_IsKeyedByTheEnterprise_AndAnswersEventsFromAnyOfItsWorkspaces()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-org", null, null, "E0ORG", "Acme Org", EnterpriseInstall: true, BotUserId: "U0BOTORG"));
        var page = await InstallAsync();
        Assert.Contains("every workspace of Acme Org (org-wide)", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("E:E0ORG", Assert.Single(Installations().All(ChatPlatform.Slack)).Key);

        StaffChannel("T0SALES");

        await _host.PostEventAsync(Mention("T0SALES", "U0BOTORG", "Ev3", enterpriseId: "E0ORG"));

        Assert.Equal("Bearer xoxb-org", Assert.Single(await _slack.WaitForAsync("chat.postMessage")).Authorization);
    }

    [Fact]
    public async Task OrgWideInstall_AMemberOfAnyWorkspaceOfTheOrgIsStaff_AGuestIsNot()
    {
        _slack.NextAuthorize(new FakeSlackWebApi.Grant("xoxb-org", null, null, "E0ORG", "Acme Org", EnterpriseInstall: true, BotUserId: "U0BOTORG"));
        await InstallAsync();
        _slack.AddUser("W0SALES", "T0SALES", enterpriseId: "E0ORG");
        _slack.AddUser("W0GUEST", "T0SALES", guest: true, enterpriseId: "E0ORG");
        var directory = _host.Services.GetRequiredService<GrowthBot.Slack.SlackRequesterDirectory>();
        var access = _host.Services.GetRequiredService<GrowthBot.Core.Access.IAccessPolicy>();

        var member = await directory.ResolveAsync(new Requester(ChatPlatform.Slack, "W0SALES", "T0SALES", false, Workspace: "E:E0ORG"), CancellationToken.None);
        var guest = await directory.ResolveAsync(new Requester(ChatPlatform.Slack, "W0GUEST", "T0SALES", false, Workspace: "E:E0ORG"), CancellationToken.None);

        Assert.Equal(("T0SALES", "E0ORG"), (member.OrganisationId, member.EnterpriseId));
        Assert.True(access.IsStaff(member));
        Assert.False(access.IsStaff(guest));
        Assert.All(_slack.Calls.Where(call => call.Method == "users.info"), call => Assert.Equal("Bearer xoxb-org", call.Authorization));
    }

    private static string Mention(string team, string botUser, string eventId, string? enterpriseId = null) => $$"""
        {
          "token": "ZZZZZZWSxiZZZ2yIvs3peJ",
          "team_id": "{{team}}",
          "enterprise_id": {{(enterpriseId is null ? "null" : $"\"{enterpriseId}\"")}},
          "api_app_id": "A0GROWTH",
          "event": { "type": "app_mention", "user": "U0STAFF", "text": "<@{{botUser}}> churn this month", "ts": "1732615200.000100",
                     "channel": "C0GROWTH", "event_ts": "1732615200.000100", "team": "{{team}}" },
          "type": "event_callback",
          "event_id": "{{eventId}}",
          "event_time": 1732615200,
          "authorizations": [{ "enterprise_id": {{(enterpriseId is null ? "null" : $"\"{enterpriseId}\"")}}, "team_id": {{(enterpriseId is null ? $"\"{team}\"" : "null")}},
                               "user_id": "{{botUser}}", "is_bot": true, "is_enterprise_install": {{(enterpriseId is null ? "false" : "true")}} }],
          "is_ext_shared_channel": false,
          "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0"
        }
        """;

    private static string Uninstalled(string team, string botUser) => $$"""
        {
          "token": "ZZZZZZWSxiZZZ2yIvs3peJ",
          "team_id": "{{team}}",
          "api_app_id": "A0GROWTH",
          "event": { "type": "app_uninstalled" },
          "type": "event_callback",
          "event_id": "Ev0UNINSTALL{{team}}",
          "event_time": 1732616400,
          "authorizations": [{ "enterprise_id": null, "team_id": "{{team}}", "user_id": "{{botUser}}", "is_bot": true, "is_enterprise_install": false }],
          "is_ext_shared_channel": false
        }
        """;

    /// <summary>C0GROWTH holds only staff (and the fake's U0BOT, a bot), so answers are posted in it.</summary>
    private void StaffChannel(string team)
    {
        _slack.AddUser("U0BOT", team, bot: true);
        _slack.AddUser("U0STAFF", team);
        _slack.SetChannel("C0GROWTH", extShared: false, "U0STAFF");
    }

    private HttpClient Browser() => _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Starts the install in <paramref name="browser"/> and lets the fake authorize page answer; returns the host URL Slack sends the browser back to.</summary>
    private static async Task<string> AuthorizeAsync(HttpClient browser)
    {
        var start = await browser.GetAsync("/slack/install");
        using var toSlack = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var slackAnswer = await toSlack.GetAsync(start.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, slackAnswer.StatusCode);
        return slackAnswer.Headers.Location!.PathAndQuery;
    }

    private async Task<HttpResponseMessage> InstallAsync()
    {
        using var browser = Browser();
        return await browser.GetAsync(await AuthorizeAsync(browser));
    }

    private IInstallationStore Installations() => _host.Services.GetRequiredService<IInstallationStore>();

    private ISubscriptionStore Store() => _host.Services.GetRequiredService<ISubscriptionStore>();

    private DigestSubscription Subscribe(string channel, string workspace)
    {
        var subscription = new DigestSubscription($"sub-{channel}", ChatPlatform.Slack, channel, Team.Marketing, [], DigestSchedule.Default, "UTC", "U0STAFF",
            _host.Time.GetUtcNow(), Workspace: workspace);
        Store().Save(subscription);
        return subscription;
    }

    /// <summary>Moves the host's clock a minute at a time until <paramref name="condition"/> holds (its timers fire as they would).</summary>
    private async Task TickUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            _host.Time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(25);
        }
        Assert.True(condition());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(25);
        Assert.True(condition());
    }
}
