using GrowthBot.Host.Hosting;
using GrowthBot.Slack.Simulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot slack-sim [--db PATH] [--urls URL] [--files DIR]</c>: tries the Slack side without a
/// workspace. Starts the local Slack simulator (a loopback Web API with a freshly generated bot
/// token and signing secret), then the bot host in-process in Development, configured to talk to
/// it, and lets a person type as a Slack user: messages, <c>/growth</c>, button presses. The host
/// logs only warnings here, so its log does not bury the conversation.
/// </summary>
internal static class SlackSimCommand
{
    public const string Usage = "growthbot slack-sim [--db PATH] [--urls http://127.0.0.1:PORT] [--api-port PORT] [--files DIR]";

    /// <summary>The simulated Slack's usual port (the host's is 5080).</summary>
    public const int DefaultApiPort = 5081;

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db", "urls", "files", "api-port" }, new HashSet<string>());
        if (arguments.Positionals.Count > 0) throw new UsageException($"Usage: {Usage}");
        var urls = arguments.Option("urls") ?? "http://127.0.0.1:0";
        if (!Uri.TryCreate(urls, UriKind.Absolute, out var listen) || listen.Scheme != Uri.UriSchemeHttp || !listen.IsLoopback)
        {
            throw new UsageException($"--urls '{urls}' must be a loopback http address such as http://127.0.0.1:5080: the simulated Slack and the host it drives stay on this machine.");
        }
        var apiPortText = arguments.Option("api-port");
        var apiPort = DefaultApiPort;
        if (apiPortText is not null && (!int.TryParse(apiPortText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out apiPort) || apiPort > 65535))
        {
            throw new UsageException($"--api-port '{apiPortText}' must be a port number (0 picks a free one).");
        }
        var files = arguments.Option("files") ?? Path.Combine(Path.GetTempPath(), "growthbot-slack-sim");
        var storePath = context.StorageFor(arguments).Path;
        using var stop = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            stop.Cancel();
        }
        Console.CancelKeyPress += OnCancel;
        try
        {
            return RunAsync(context, urls, apiPort, files, storePath, stop.Token).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (HostStartupFailure.TryDescribe(exception, out var failure))
        {
            // The same one-line reasons and exit codes as `growthbot serve` (the store in use, the port taken, bad settings).
            context.Error.WriteLine(failure.Message);
            return failure.ExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    private static async Task<int> RunAsync(CliContext context, string urls, int apiPort, string files, string storePath, CancellationToken stopping)
    {
        var output = TextWriter.Synchronized(context.Output);
        var options = new SimOptions
        {
            FilesFolder = files,
            ApiPort = apiPort,
            // The slash command the host answers to, as configured (the simulator sends the same one).
            CommandName = context.Configuration[$"{GrowthBot.Slack.SlackOptions.SectionName}:{nameof(GrowthBot.Slack.SlackOptions.CommandName)}"] ?? "/growth",
        };
        await using var simulator = await SlackSimulator.StartAsync(options, output, context.Time, cancellationToken: stopping);

        // Development: an empty store is filled with the demo history, so there is something to ask about.
        var app = GrowthBotApp.Build(["--urls", urls, "--environment", "Development"], builder =>
        {
            var settings = simulator.HostSettings().ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
            settings["Storage:Path"] = storePath;
            settings["Logging:LogLevel:Default"] = "Warning";
            settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.Replace(ServiceDescriptor.Singleton(context.Time));
        });
        await using (app)
        {
            output.WriteLine($"Starting GrowthBot on the store {storePath} (an empty store gets the demo history first; that takes a little while)…");
            await app.StartAsync(stopping);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var host = new HttpClient { BaseAddress = new Uri(address) };
            simulator.Connect(host, context.Time);
            output.WriteLine($"Slack simulator: Web API at {simulator.ApiBaseUrl} (a bot token and signing secret made for this run); GrowthBot at {address}; files it uploads go to {files}.");
            output.WriteLine(SimInput.HelpText(options.CommandName));
            try
            {
                await simulator.RunAsync(context.Input, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Ctrl+C: stop cleanly below.
            }
            output.WriteLine("Stopping GrowthBot…");
            await app.StopAsync(CancellationToken.None);
        }
        return ExitCodes.Ok;
    }
}
