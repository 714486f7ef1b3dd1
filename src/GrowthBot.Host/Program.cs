using GrowthBot.Connectors.Stripe;
using GrowthBot.Connectors.Stripe.Inbound;
using GrowthBot.Connectors.Zendesk;
using GrowthBot.Connectors.Zendesk.Inbound;
using GrowthBot.Core.Conversations;
using GrowthBot.Host.Api;
using GrowthBot.Host.Cli;
using GrowthBot.Host.Hosting;
using GrowthBot.Slack;
using GrowthBot.Slack.Inbound;
using GrowthBot.Teams;
using GrowthBot.Teams.Inbound;

// One executable: `growthbot VERB ...` runs a command-line verb; `growthbot serve` (or no verb) runs the bot host.
if (!GrowthBotCli.RunsHost(args))
{
    var context = new CliContext(Console.Out, Console.Error, TimeProvider.System, GrowthBotCli.DefaultConfiguration())
    {
        InteractiveError = !Console.IsErrorRedirected,
    };
    return GrowthBotCli.Run(args, context);
}

try
{
    var builder = WebApplication.CreateBuilder(GrowthBotCli.HostArguments(args));
    builder.Services.AddGrowthBotHost();
    builder.Services.AddGrowthBotConversations();
    builder.Services.AddGrowthBotSlack();
    builder.Services.AddGrowthBotTeams();
    builder.Services.AddGrowthBotApi();
    builder.Services.AddGrowthBotStripe();
    builder.Services.AddGrowthBotZendesk();

    var app = builder.Build();
    app.MapGrowthBotHealth();
    app.MapSlack();
    app.MapTeams();
    app.MapGrowthBotSurveys();
    app.MapGrowthBotApi();
    app.MapStripe();
    app.MapZendesk();
    app.MapGet("/", () => Results.Text("GrowthBot is running. Health: /healthz\n"));
    app.Run();
    return 0;
}
catch (Exception exception) when (HostStartupFailure.TryDescribe(exception, out var failure))
{
    Console.Error.WriteLine(failure.Message);
    return failure.ExitCode;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
