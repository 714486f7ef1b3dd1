using System.Globalization;

namespace GrowthBot.Bench.Slack;

/// <summary>A load variant: plain events, or the same with a share of them retried by "Slack".</summary>
internal enum LoadVariant
{
    Plain,
    Retry,
}

/// <summary>How the benchmark delivers events to the host.</summary>
internal enum SlackTransport
{
    /// <summary>Signed POSTs to /slack/events; the ack is the HTTP 200.</summary>
    Http,

    /// <summary>events_api envelopes over the WebSocket the host opened; the ack is its envelope_id coming back.</summary>
    SocketMode,
}

/// <summary>The command line of the Slack load benchmark.</summary>
internal sealed record SlackBenchOptions
{
    public const string Usage =
        "dotnet run -c Release --project bench/GrowthBot.Bench.Slack -- [--rate 300[,600,...]] [--seconds 20] [--variants plain,retry]\n" +
        "    [--pacing 0[,1]] [--channels 500] [--users 50] [--hot-share 0] [--retry-fraction 0.1] [--customers 2000] [--warmup 3000] [--warmup-rate 150]\n" +
        "    [--drain-seconds 60] [--max-in-flight 4000] [--host PATH/growthbot.dll] [--out DIR] [--seed N] [--quiet-http-log]\n" +
        "    [--transport http[,socket]]";

    /// <summary>Events per second; one run (with a fresh host) per rate.</summary>
    public IReadOnlyList<int> Rates { get; init; } = [300];

    public int Seconds { get; init; } = 20;

    public IReadOnlyList<LoadVariant> Variants { get; init; } = [LoadVariant.Plain, LoadVariant.Retry];

    /// <summary>Slack__MinimumChannelInterval values to run the host with, in seconds (0 = no pacing).</summary>
    public IReadOnlyList<double> Pacings { get; init; } = [0];

    public int Channels { get; init; } = 500;

    public int Users { get; init; } = 50;

    /// <summary>
    /// Share of events sent to one busy channel instead of spreading them (0 = none). With pacing on, that
    /// channel can only be answered about once a second; the question is whether the other channels wait too.
    /// </summary>
    public double HotShare { get; init; }

    /// <summary>Share of events the retry variant sends a second time with X-Slack-Retry-Num: 1.</summary>
    public double RetryFraction { get; init; } = 0.1;

    /// <summary>Demo customers imported into the store first (<c>growthbot demo</c>); 0 runs on an empty store.</summary>
    public int Customers { get; init; } = 2000;

    /// <summary>
    /// Events sent (at <see cref="WarmupRate"/>, on channels of their own) and answered before the measured run;
    /// not counted. The default, 20 s of traffic, lets tiered JIT finish promoting the hot paths: a host a few
    /// seconds old spends a large share of its CPU compiling and its p99 says more about that than about the bot.
    /// <c>--warmup 0</c> measures a cold host.
    /// </summary>
    public int Warmup { get; init; } = 3000;

    public int WarmupRate { get; init; } = 150;

    public int DrainSeconds { get; init; } = 60;

    /// <summary>Requests allowed in flight at once; an event due while the cap is reached is not sent and is reported.</summary>
    public int MaxInFlight { get; init; } = 4000;

    public string HostDll { get; init; } = DefaultHostDll();

    public string OutDirectory { get; init; } = Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "bench", "out", "slack");

    public int Seed { get; init; } = 20261126;

    /// <summary>Runs the host with <c>Logging__LogLevel__System.Net.Http.HttpClient=Warning</c> (see the README).</summary>
    public bool QuietHttpLog { get; init; }

    /// <summary>How events reach the host: signed HTTP requests, or envelopes over a Socket Mode WebSocket.</summary>
    public IReadOnlyList<SlackTransport> Transports { get; init; } = [SlackTransport.Http];

    public static SlackBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SlackBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            options = name switch
            {
                "--rate" or "--rates" => options with { Rates = [.. List(Value()).Select(text => Whole(text, name, 1, 20_000))] },
                "--seconds" => options with { Seconds = Whole(Value(), name, 1, 600) },
                "--variants" or "--variant" => options with { Variants = [.. List(Value()).Select(Variant)] },
                "--pacing" => options with { Pacings = [.. List(Value()).Select(text => Number(text, name, 0, 10))] },
                "--channels" => options with { Channels = Whole(Value(), name, 1, 100_000) },
                "--users" => options with { Users = Whole(Value(), name, 1, 100_000) },
                "--hot-share" => options with { HotShare = Number(Value(), name, 0, 1) },
                "--retry-fraction" => options with { RetryFraction = Number(Value(), name, 0, 1) },
                "--customers" => options with { Customers = Whole(Value(), name, 0, 1_000_000) },
                "--warmup" => options with { Warmup = Whole(Value(), name, 0, 100_000) },
                "--warmup-rate" => options with { WarmupRate = Whole(Value(), name, 1, 20_000) },
                "--drain-seconds" => options with { DrainSeconds = Whole(Value(), name, 1, 3600) },
                "--max-in-flight" => options with { MaxInFlight = Whole(Value(), name, 1, 60_000) },
                "--host" => options with { HostDll = Path.GetFullPath(Value()) },
                "--out" => options with { OutDirectory = Path.GetFullPath(Value()) },
                "--seed" => options with { Seed = Whole(Value(), name, 0, int.MaxValue) },
                "--quiet-http-log" => options with { QuietHttpLog = true },
                "--transport" or "--transports" => options with { Transports = [.. List(Value()).Select(Transport)] },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option '{name}'.\n{Usage}"),
            };
        }
        foreach (var rate in options.Rates)
        {
            // Event ts values are "<seconds>.<6-digit index>", so one run stays below a million events.
            if ((long)rate * options.Seconds > 900_000) throw new ArgumentException($"--rate {rate} × --seconds {options.Seconds} is more than 900,000 events.");
        }
        return options;
    }

    private static string[] List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static SlackTransport Transport(string text) => text.ToLowerInvariant() switch
    {
        "http" => SlackTransport.Http,
        "socket" or "socket-mode" => SlackTransport.SocketMode,
        _ => throw new ArgumentException($"--transport '{text}': expected http or socket."),
    };

    private static LoadVariant Variant(string text) => text.ToLowerInvariant() switch
    {
        "plain" => LoadVariant.Plain,
        "retry" or "retries" => LoadVariant.Retry,
        _ => throw new ArgumentException($"--variants '{text}': expected plain or retry."),
    };

    private static int Whole(string text, string name, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} '{text}' must be a whole number from {min} to {max}.");

    private static double Number(string text, string name, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} '{text}' must be a number from {min} to {max}.");

    private static string DefaultHostDll() =>
        Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "src", "GrowthBot.Host", "bin", "Release", "net10.0", "growthbot.dll");

    /// <summary>The folder holding GrowthBot.sln above this executable, if any.</summary>
    private static string? RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) return folder.FullName;
        }
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) return folder.FullName;
        }
        return null;
    }
}
