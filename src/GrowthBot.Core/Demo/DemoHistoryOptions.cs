namespace GrowthBot.Core.Demo;

/// <summary>The size and shape of a generated history.</summary>
public sealed record DemoHistoryOptions
{
    /// <summary>Roughly how many customers sign up over the whole history.</summary>
    public int Customers { get; init; } = 4_000;

    /// <summary>How many months of history, ending at <see cref="End"/>.</summary>
    public int Months { get; init; } = 24;

    /// <summary>The moment the history ends (usually now); nothing is generated after it.</summary>
    public required DateTime End { get; init; }

    /// <summary>The random seed: the same seed and end give the same history, row for row.</summary>
    public int Seed { get; init; } = 20_240_101;

    /// <summary>Monthly chance that a paying customer changes plan size (seats, tiers); raise it for denser logs.</summary>
    public double PlanChangeRate { get; init; } = 0.12;

    /// <summary>Survey answers per customer per month, roughly.</summary>
    public double SurveyRate { get; init; } = 0.12;
}
