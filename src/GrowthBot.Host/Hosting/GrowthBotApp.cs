using GrowthBot.Connectors.Stripe;
using GrowthBot.Connectors.Stripe.Inbound;
using GrowthBot.Connectors.Zendesk;
using GrowthBot.Connectors.Zendesk.Inbound;
using GrowthBot.Core.Conversations;
using GrowthBot.Host.Api;
using GrowthBot.Slack;
using GrowthBot.Slack.Inbound;
using GrowthBot.Teams;
using GrowthBot.Teams.Inbound;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// The bot host, composed from each project's <c>AddX()</c>/<c>MapX()</c>. Program.cs runs it;
/// <c>growthbot slack-sim</c> runs the same host in-process, pointed at the local Slack simulator.
/// </summary>
internal static class GrowthBotApp
{
    /// <param name="args">Host arguments (<c>--urls</c>, <c>--Section:Key=value</c>).</param>
    /// <param name="adjust">Runs after every service is added and before the host is built: settings and services a caller overrides.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? adjust = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        AppFolderSettings.Add(builder.Configuration, builder.Environment, AppContext.BaseDirectory);
        builder.Services.AddGrowthBotHost(builder.Configuration);
        builder.Services.AddGrowthBotConversations();
        builder.Services.AddGrowthBotSlack();
        builder.Services.AddGrowthBotTeams();
        builder.Services.AddGrowthBotApi();
        builder.Services.AddGrowthBotStripe();
        builder.Services.AddGrowthBotZendesk();
        adjust?.Invoke(builder);

        var app = builder.Build();
        app.UseStoreUnavailableResponses();
        app.MapGrowthBotHealth();
        app.MapSlack();
        app.MapTeams();
        app.MapGrowthBotSurveys();
        app.MapGrowthBotApi();
        app.MapStripe();
        app.MapZendesk();
        app.MapGet("/", () => Results.Text("GrowthBot is running. Health: /healthz\n"));
        return app;
    }
}
