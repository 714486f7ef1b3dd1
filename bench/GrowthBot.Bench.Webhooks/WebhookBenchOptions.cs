using System.Globalization;

namespace GrowthBot.Bench.Webhooks;

/// <summary>The command line of the Stripe webhook ingestion benchmark.</summary>
internal sealed record WebhookBenchOptions
{
    public const string Usage =
        "dotnet run -c Release --project bench/GrowthBot.Bench.Webhooks -- [--customers 1000000] [--store PATH] [--rate 1000] [--seconds 20]\n" +
        "    [--stripe-customers 2000] [--question-rate 20] [--max-in-flight 4000] [--warmup-seconds 10]\n" +
        "    [--gen0size 0x4000000] [--host PATH/growthbot.dll] [--out DIR]";

    /// <summary>Customers in the demo store the host starts on (<c>growthbot demo --customers N</c>).</summary>
    public int Customers { get; init; } = 1_000_000;

    /// <summary>A demo store to start from (copied, never changed); written there first if it does not exist, so later runs reuse it.</summary>
    public string? Store { get; init; }

    /// <summary>Stripe events per second, open loop.</summary>
    public int Rate { get; init; } = 1000;

    public int Seconds { get; init; } = 20;

    /// <summary>Stripe customers the events are about (each signs up during the warm-up, then changes seats, pays invoices, is renamed).</summary>
    public int StripeCustomers { get; init; } = 2000;

    /// <summary>Slack questions per second asked during the measured run.</summary>
    public int QuestionRate { get; init; } = 20;

    public int MaxInFlight { get; init; } = 4000;

    /// <summary>Seconds of the measured mix sent (and questions asked) before measuring, so the run measures the host rather than its tiered JIT; 0: sign-ups only.</summary>
    public int WarmupSeconds { get; init; } = 10;

    /// <summary>
    /// <c>DOTNET_GCgen0size</c> for the host, as deploy/systemd/growthbot.service sets it (the runtime
    /// reads it from the environment only); "0" leaves the runtime's default.
    /// </summary>
    public string Gen0Size { get; init; } = "0x4000000";

    public string HostDll { get; init; } = Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "src", "GrowthBot.Host", "bin", "Release", "net10.0", "growthbot.dll");

    public string OutDirectory { get; init; } = Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "bench", "out", "webhooks");

    public static WebhookBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new WebhookBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            options = name switch
            {
                "--customers" => options with { Customers = Whole(Value(), name, 1, 5_000_000) },
                "--store" => options with { Store = Path.GetFullPath(Value()) },
                "--rate" => options with { Rate = Whole(Value(), name, 1, 50_000) },
                "--seconds" => options with { Seconds = Whole(Value(), name, 1, 3600) },
                "--stripe-customers" => options with { StripeCustomers = Whole(Value(), name, 1, 1_000_000) },
                "--question-rate" => options with { QuestionRate = Whole(Value(), name, 0, 1000) },
                "--max-in-flight" => options with { MaxInFlight = Whole(Value(), name, 1, 60_000) },
                "--warmup-seconds" => options with { WarmupSeconds = Whole(Value(), name, 0, 600) },
                "--gen0size" => options with { Gen0Size = Value() },
                "--host" => options with { HostDll = Path.GetFullPath(Value()) },
                "--out" => options with { OutDirectory = Path.GetFullPath(Value()) },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option '{name}'.\n{Usage}"),
            };
        }
        return options;
    }

    private static int Whole(string text, string name, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} '{text}' must be a whole number from {min} to {max}.");

    private static string? RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) return folder.FullName;
            }
        }
        return null;
    }
}
