using System.Globalization;
using GrowthBot.Host.Cli;
using GrowthBot.Host.Hosting;

// Culture data is loaded so answers can follow each Teams user's locale, where a culture is passed
// explicitly; nothing else may follow the machine's LANG: every implicit format stays invariant.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;

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
    // The composition (every project's AddX/MapX) is in GrowthBotApp, which `growthbot slack-sim` runs too.
    GrowthBotApp.Build(GrowthBotCli.HostArguments(args)).Run();
    return 0;
}
catch (Exception exception) when (HostStartupFailure.TryDescribe(exception, out var failure))
{
    Console.Error.WriteLine(failure.Message);
    return failure.ExitCode;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
