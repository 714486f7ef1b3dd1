using System.Globalization;

namespace GrowthBot.Bench;

/// <summary>The command line of the bench.</summary>
internal sealed record BenchOptions
{
    public const string Usage =
        "dotnet run -c Release --project bench/GrowthBot.Bench -- [--sizes 10000,100000,1000000] [--runs N] [--warmups N] [--out DIR]\n" +
        "    [--months N] [--plan-change-rate X] [--survey-rate X] [--skip-duckdb] [--skip-startup] [--keep-store] [--reuse-store]";

    public IReadOnlyList<int> Sizes { get; init; } = [10_000, 100_000, 1_000_000];
    public int Runs { get; init; } = 15;
    public int Warmups { get; init; } = 2;
    public string OutDirectory { get; init; } = DefaultOutDirectory();

    /// <summary>
    /// 48 months, not 24: a paying customer changes plan at most once a month in the demo generator,
    /// so 24 months cannot give ~10 subscription changes per customer (it tops out near 6).
    /// </summary>
    public int Months { get; init; } = 48;
    public double PlanChangeRate { get; init; } = 1.0;
    /// <summary>Tuned so that survey responses ≈ customers (1M responses at 1M customers).</summary>
    public double SurveyRate { get; init; } = 0.041;

    public bool SkipDuckDb { get; init; }
    public bool SkipStartup { get; init; }
    public bool KeepStore { get; init; }
    public bool ReuseStore { get; init; }

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            options = name switch
            {
                "--sizes" => options with { Sizes = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseSize)] },
                "--runs" => options with { Runs = Positive(Value(), name) },
                "--warmups" => options with { Warmups = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--out" => options with { OutDirectory = Path.GetFullPath(Value()) },
                "--months" => options with { Months = Positive(Value(), name) },
                "--plan-change-rate" => options with { PlanChangeRate = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--survey-rate" => options with { SurveyRate = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--skip-duckdb" => options with { SkipDuckDb = true },
                "--skip-startup" => options with { SkipStartup = true },
                "--keep-store" => options with { KeepStore = true },
                "--reuse-store" => options with { ReuseStore = true, KeepStore = true },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option '{name}'.\n{Usage}"),
            };
        }
        return options;
    }

    private static int ParseSize(string text)
    {
        var multiplier = 1;
        if (text.EndsWith('k') || text.EndsWith('K')) (multiplier, text) = (1_000, text[..^1]);
        else if (text.EndsWith('m') || text.EndsWith('M')) (multiplier, text) = (1_000_000, text[..^1]);
        return Positive(text, "--sizes") * multiplier;
    }

    private static int Positive(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} '{text}' must be a positive whole number.");

    /// <summary>bench/out beside this project in the repository (gitignored), else ./bench/out.</summary>
    private static string DefaultOutDirectory()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) return Path.Combine(folder.FullName, "bench", "out");
        }
        return Path.GetFullPath(Path.Combine("bench", "out"));
    }
}
