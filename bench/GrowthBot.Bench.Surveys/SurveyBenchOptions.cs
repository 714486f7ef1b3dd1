using System.Globalization;

namespace GrowthBot.Bench.Surveys;

/// <summary>The command line of the survey load benchmark.</summary>
internal sealed record SurveyBenchOptions
{
    public const string Usage =
        "dotnet run -c Release --project bench/GrowthBot.Bench.Surveys -- [--rate 2100] [--seconds 10] [--people 4000] [--warmup 4000] [--warmup-rate 500]\n" +
        "    [--max-in-flight 2000] [--checkpoint-pages N] [--host PATH/growthbot.dll] [--out DIR]";

    public int Rate { get; init; } = 2100;

    public int Seconds { get; init; } = 10;

    /// <summary>Invitations in the campaign. Presses go round-robin over them, so one person's presses are people ÷ rate seconds apart (a change of mind each time).</summary>
    public int People { get; init; } = 4000;

    public int Warmup { get; init; } = 4000;

    public int WarmupRate { get; init; } = 500;

    public int MaxInFlight { get; init; } = 2000;

    /// <summary>The host's <c>Storage__CheckpointPages</c>; null leaves the host's default.</summary>
    public int? CheckpointPages { get; init; }

    public string HostDll { get; init; } = Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "src", "GrowthBot.Host", "bin", "Release", "net10.0", "growthbot.dll");

    public string OutDirectory { get; init; } = Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "bench", "out", "surveys");

    public static SurveyBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SurveyBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            options = name switch
            {
                "--rate" => options with { Rate = Whole(Value(), name, 1, 50_000) },
                "--seconds" => options with { Seconds = Whole(Value(), name, 1, 600) },
                "--people" => options with { People = Whole(Value(), name, 1, 200_000) },
                "--warmup" => options with { Warmup = Whole(Value(), name, 0, 1_000_000) },
                "--warmup-rate" => options with { WarmupRate = Whole(Value(), name, 1, 50_000) },
                "--max-in-flight" => options with { MaxInFlight = Whole(Value(), name, 1, 60_000) },
                "--checkpoint-pages" => options with { CheckpointPages = Whole(Value(), name, 1, 100_000) },
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
