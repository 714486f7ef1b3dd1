namespace GrowthBot.Core.Metrics;

/// <summary>Every metric GrowthBot computes. Names as users type them are in <see cref="MetricCatalog"/>.</summary>
public enum MetricId
{
    Nps,
    Csat,
    Ces,
    Mrr,
    Arpa,
    CustomerChurn,
    Retention,
    GrossRevenueChurn,
    NetRevenueChurn,
    Nrr,
    Grr,
    ExistingRevenueGrowth,
    ExpansionRevenue,
    QuickRatio,
    CustomerGrowth,
    RevenueGrowth,
    Cac,
    Ltv,
    LtvCac,
    Fcr,
    RepeatPurchase,
    Activation,
    PayingCustomers,
    NewCustomers,
    ChurnedCustomers,
}

/// <summary>How a metric's value is read: drives formatting and the JSON units.</summary>
public enum MetricUnit
{
    /// <summary>A percentage as a percent number: 12.5 means 12.5%.</summary>
    Percent,
    /// <summary>NPS, from −100 to 100.</summary>
    NpsScore,
    /// <summary>A mean score on a survey scale (CES 1–7).</summary>
    MeanScore,
    /// <summary>An amount in the company's currency.</summary>
    Money,
    /// <summary>A plain ratio such as 3.2 (quick ratio, LTV:CAC).</summary>
    Ratio,
    /// <summary>A number of customers (paying, new, churned).</summary>
    Count,
}

/// <summary>The teams a metric can be accountable to.</summary>
public enum Team
{
    Marketing,
    Sales,
    Service,
    Product,
    Finance,
}

/// <summary>Whether a higher value is good news (NPS) or bad news (churn).</summary>
public enum Direction
{
    HigherIsBetter,
    LowerIsBetter,
}
