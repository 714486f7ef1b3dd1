using GrowthBot.Host.Cli;
using GrowthBot.Host.Hosting;

// One executable: `growthbot VERB ...` runs a command-line verb; no verb runs the bot host.
if (GrowthBotCli.IsVerb(args))
{
    var context = new CliContext(Console.Out, Console.Error, TimeProvider.System, GrowthBotCli.DefaultConfiguration())
    {
        InteractiveError = !Console.IsErrorRedirected,
    };
    return GrowthBotCli.Run(args, context);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGrowthBotHost();

var app = builder.Build();
app.MapGrowthBotHealth();
app.MapGet("/", () => Results.Text("GrowthBot is running. Health: /healthz\n"));
app.Run();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
