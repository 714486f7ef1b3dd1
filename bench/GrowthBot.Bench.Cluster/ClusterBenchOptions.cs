using System.Globalization;

namespace GrowthBot.Bench.Cluster;

/// <summary>The three ways of running GrowthBot the bench compares.</summary>
internal enum Topology
{
    /// <summary>One host on its LiteDB file (the default install).</summary>
    LiteDb,

    /// <summary>One host on PostgreSQL.</summary>
    Postgres,

    /// <summary>Two hosts on one PostgreSQL database behind nginx.</summary>
    TwoHosts,
}

/// <summary>Command-line options of the cluster benchmark.</summary>
internal sealed record ClusterBenchOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/GrowthBot.Bench.Cluster -- [options]
          --topologies LIST      litedb,postgres,two-hosts (default: all three)
          --event-rate N         Slack events per second (default 300, Bench.Slack's target rate)
          --press-rate N         survey presses per second (default 300)
          --seconds N            seconds of each load (default 10)
          --warmup N             events and presses sent first and not counted (default 300 each)
          --people N             survey invitations (default 4000)
          --channels N           channels the events are spread over (default 200)
          --stuck N              messages the killed host holds unanswered (default 20)
          --follow-changes N     changes timed from host A's commit to host B's engine at rest (default 200)
          --claim-lease T        Conversations__ClaimLease (default 00:00:30, the host's default)
          --checkin T            Scheduler__CheckinInterval (default 00:00:10, the host's default)
          --checkin-threshold T  Scheduler__CheckinMisfireThreshold (default 00:00:20, the host's default)
          --max-in-flight N      requests in flight before new ones are skipped (default 2000)
          --host PATH            the host's growthbot.dll (default src/GrowthBot.Host/bin/Release/net10.0)
          --out DIR              results and host logs (default bench/out/cluster)
        """;

    public IReadOnlyList<Topology> Topologies { get; init; } = [Topology.LiteDb, Topology.Postgres, Topology.TwoHosts];
    public int EventRate { get; init; } = 300;
    public int PressRate { get; init; } = 300;
    public int Seconds { get; init; } = 10;
    public int Warmup { get; init; } = 300;
    public int People { get; init; } = 4000;
    public int Channels { get; init; } = 200;
    public int Users { get; init; } = 50;
    public int Stuck { get; init; } = 20;
    public int FollowChanges { get; init; } = 200;
    public double RetryFraction { get; init; } = 0.1;
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Checkin { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan CheckinThreshold { get; init; } = TimeSpan.FromSeconds(20);
    public int MaxInFlight { get; init; } = 2000;
    public string HostDll { get; init; } = Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "src", "GrowthBot.Host", "bin", "Release", "net10.0", "growthbot.dll");
    public string OutDirectory { get; init; } = Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "bench", "out", "cluster");

    public static ClusterBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ClusterBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            options = name switch
            {
                "--topologies" => options with { Topologies = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(TopologyOf).Distinct()] },
                "--event-rate" => options with { EventRate = Whole(Value(), name, 1, 50_000) },
                "--press-rate" => options with { PressRate = Whole(Value(), name, 1, 50_000) },
                "--seconds" => options with { Seconds = Whole(Value(), name, 1, 600) },
                "--warmup" => options with { Warmup = Whole(Value(), name, 0, 100_000) },
                "--people" => options with { People = Whole(Value(), name, 1, 200_000) },
                "--channels" => options with { Channels = Whole(Value(), name, 1, 100_000) },
                "--stuck" => options with { Stuck = Whole(Value(), name, 1, 10_000) },
                "--follow-changes" => options with { FollowChanges = Whole(Value(), name, 1, 100_000) },
                "--claim-lease" => options with { ClaimLease = Span(Value(), name, TimeSpan.FromSeconds(3), TimeSpan.FromHours(1)) },
                "--checkin" => options with { Checkin = Span(Value(), name, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)) },
                "--checkin-threshold" => options with { CheckinThreshold = Span(Value(), name, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)) },
                "--max-in-flight" => options with { MaxInFlight = Whole(Value(), name, 1, 60_000) },
                "--host" => options with { HostDll = Path.GetFullPath(Value()) },
                "--out" => options with { OutDirectory = Path.GetFullPath(Value()) },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option '{name}'.\n{Usage}"),
            };
        }
        if (options.Topologies.Count == 0) throw new ArgumentException($"--topologies names none.\n{Usage}");
        return options;
    }

    public static string Name(Topology topology) => topology switch
    {
        Topology.LiteDb => "1 host, LiteDB",
        Topology.Postgres => "1 host, PostgreSQL",
        _ => "2 hosts, PostgreSQL, nginx",
    };

    private static Topology TopologyOf(string text) => text.ToLowerInvariant() switch
    {
        "litedb" => Topology.LiteDb,
        "postgres" => Topology.Postgres,
        "two-hosts" => Topology.TwoHosts,
        _ => throw new ArgumentException($"--topologies: '{text}' is none of litedb, postgres, two-hosts.\n{Usage}"),
    };

    private static int Whole(string text, string name, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} '{text}' must be a whole number from {min} to {max}.");

    private static TimeSpan Span(string text, string name, TimeSpan min, TimeSpan max) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} '{text}' must be a time from {min:c} to {max:c} (hh:mm:ss).");

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
