using System.Globalization;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Bench;

/// <summary>
/// The SQL for each question, implementing the definitions in GrowthBot.Formulas over the tables
/// <see cref="DuckDatabase"/> loads. Two variants for the revenue metrics:
/// <list type="bullet">
/// <item><b>definition</b>: straight from the definitions. The state of a customer at a moment is
/// their latest change dated before it (<c>arg_max(mrr, at)</c> per customer); the starting base is
/// the customers whose state at <c>from</c> is paying; movements come from the classified table.</item>
/// <item><b>indexed</b>: the same facts the way the engine's index gets them, using the per-movement
/// neighbours kept in the movements table: MRR and paying customers at a moment are running sums
/// of (mrr − prev_mrr) over earlier movements (they telescope to each customer's latest value);
/// a starting customer who moved in the period is found by their first movement in it
/// (prev_at &lt; from, prev_mrr &gt; 0) and their state at <c>to</c> by their last one
/// (next_at ≥ to); a starting customer churned if not paying at to (back by the end is not churned).</item>
/// </list>
/// The other metrics (surveys, spend, tickets, orders, sign-ups) have one SQL.
/// Every query returns one DOUBLE, NULL when the formula is undefined.
/// </summary>
internal static class DuckSql
{
    // Movement kinds as stored (MrrMovementKind).
    private const int New = (int)MrrMovementKind.New;
    private const int Expansion = (int)MrrMovementKind.Expansion;
    private const int Contraction = (int)MrrMovementKind.Contraction;
    private const int Churn = (int)MrrMovementKind.Churn;
    private const int Reactivation = (int)MrrMovementKind.Reactivation;

    /// <summary>MRR lost: churned (the MRR before) + contraction (before − after).</summary>
    private static readonly string Lost = $"CASE kind WHEN {Churn} THEN prev_mrr WHEN {Contraction} THEN prev_mrr - mrr ELSE 0 END";
    /// <summary>MRR gained: new + expansion + reactivation.</summary>
    private static readonly string Gained = $"CASE kind WHEN {New} THEN mrr WHEN {Reactivation} THEN mrr WHEN {Expansion} THEN mrr - prev_mrr ELSE 0 END";

    public static string Definition(Question question, MetricEngineOptions options)
    {
        var q = new Bounds(question);
        return question.Metric.Id switch
        {
            MetricId.Mrr => $"SELECT CAST(coalesce(sum(mrr), 0) AS DOUBLE) FROM ({Bounds.StateAt(q.T)})",
            MetricId.Arpa => $"SELECT CAST(sum(mrr) AS DOUBLE) / nullif(count_if(mrr > 0), 0) FROM ({Bounds.StateAt(q.T)})",
            MetricId.CustomerChurn => $"""
                SELECT 100 * CAST(count_if(mrr_from > 0 AND mrr_to = 0) AS DOUBLE) / nullif(count_if(mrr_from > 0), 0)
                FROM ({q.States(withChurn: true)})
                """,
            MetricId.Retention => $"""
                SELECT 100 * CAST(count_if(mrr_from > 0 AND mrr_to > 0) AS DOUBLE) / nullif(count_if(mrr_from > 0), 0)
                FROM ({q.States(withChurn: false)})
                """,
            MetricId.GrossRevenueChurn => BaseDefinition(q, "lost"),
            MetricId.NetRevenueChurn => BaseDefinition(q, "lost - expanded"),
            MetricId.Nrr => BaseDefinition(q, "mrr_from - (lost - expanded)"),
            MetricId.Grr => BaseDefinition(q, "mrr_from - lost"),
            MetricId.ExistingRevenueGrowth => $"""
                SELECT 100 * CAST(sum(mrr_to) FILTER (WHERE mrr_from > 0) - sum(mrr_from) AS DOUBLE) / nullif(CAST(sum(mrr_from) AS DOUBLE), 0)
                FROM ({q.States(withChurn: false)})
                """,
            MetricId.CustomerGrowth => $"""
                SELECT 100 * CAST((SELECT count_if(kind IN ({New}, {Reactivation})) - count_if(kind = {Churn}) FROM {q.PeriodMovements}) AS DOUBLE)
                    / nullif((SELECT count_if(mrr > 0) FROM ({Bounds.StateAt(q.F)})), 0)
                """,
            MetricId.RevenueGrowth => $"""
                SELECT 100 * CAST((SELECT coalesce(sum({Gained}) - sum({Lost}), 0) FROM {q.PeriodMovements}) AS DOUBLE)
                    / nullif((SELECT CAST(sum(mrr) AS DOUBLE) FROM ({Bounds.StateAt(q.F)})), 0)
                """,
            MetricId.Ltv => LtvDefinition(q, options),
            MetricId.LtvCac => $"SELECT ltv / nullif(cac, 0) FROM ({LtvDefinition(q, options)}) AS l(ltv), ({Cac(q)}) AS c(cac)",
            _ => Shared(question, options),
        };
    }

    /// <summary>The indexed variant, or null where the metric has one SQL (<see cref="Shared"/>).</summary>
    public static string? Indexed(Question question, MetricEngineOptions options)
    {
        var q = new Bounds(question);
        return question.Metric.Id switch
        {
            MetricId.Mrr => $"SELECT CAST(mrr AS DOUBLE) FROM ({Bounds.Running(q.T)})",
            MetricId.Arpa => $"SELECT CAST(mrr AS DOUBLE) / nullif(paying, 0) FROM ({Bounds.Running(q.T)})",
            MetricId.CustomerChurn => $"""
                WITH f AS ({Bounds.Running(q.F)}), s AS ({q.Starters}), l AS ({q.LastInPeriod})
                SELECT 100 * CAST((SELECT count(*) FROM s JOIN l USING (customer) WHERE l.mrr = 0) AS DOUBLE) / nullif((SELECT paying FROM f), 0)
                """,
            MetricId.Retention => $"""
                WITH f AS ({Bounds.Running(q.F)}), s AS ({q.Starters}), l AS ({q.LastInPeriod})
                SELECT 100 * CAST((SELECT paying FROM f) - (SELECT count(*) FROM s)
                        + (SELECT count(*) FROM l WHERE mrr > 0 AND customer IN (SELECT customer FROM s)) AS DOUBLE)
                    / nullif((SELECT paying FROM f), 0)
                """,
            MetricId.GrossRevenueChurn => BaseIndexed(q, "lost"),
            MetricId.NetRevenueChurn => BaseIndexed(q, "lost - expanded"),
            MetricId.Nrr => BaseIndexed(q, "mrr_from - (lost - expanded)"),
            MetricId.Grr => BaseIndexed(q, "mrr_from - lost"),
            MetricId.ExistingRevenueGrowth => $"""
                WITH f AS ({Bounds.Running(q.F)}), s AS ({q.Starters}), l AS ({q.LastInPeriod})
                SELECT 100 * CAST((SELECT coalesce(sum(mrr), 0) FROM l WHERE customer IN (SELECT customer FROM s))
                        - (SELECT coalesce(sum(prev_mrr), 0) FROM s) AS DOUBLE)
                    / nullif((SELECT CAST(mrr AS DOUBLE) FROM f), 0)
                """,
            MetricId.CustomerGrowth => $"""
                SELECT 100 * CAST((SELECT count_if(kind IN ({New}, {Reactivation})) - count_if(kind = {Churn}) FROM {q.PeriodMovements}) AS DOUBLE)
                    / nullif((SELECT paying FROM ({Bounds.Running(q.F)})), 0)
                """,
            MetricId.RevenueGrowth => $"""
                SELECT 100 * CAST((SELECT coalesce(sum({Gained}) - sum({Lost}), 0) FROM {q.PeriodMovements}) AS DOUBLE)
                    / nullif((SELECT CAST(mrr AS DOUBLE) FROM ({Bounds.Running(q.F)})), 0)
                """,
            MetricId.Ltv => LtvIndexed(q, options),
            MetricId.LtvCac => $"SELECT ltv / nullif(cac, 0) FROM ({LtvIndexed(q, options)}) AS l(ltv), ({Cac(q)}) AS c(cac)",
            _ => null,
        };
    }

    /// <summary>Metrics whose SQL is the same in both variants.</summary>
    private static string Shared(Question question, MetricEngineOptions options)
    {
        var q = new Bounds(question);
        return question.Metric.Id switch
        {
            MetricId.ExpansionRevenue => $"SELECT CAST(coalesce(sum(mrr - prev_mrr), 0) AS DOUBLE) FROM {q.PeriodMovements} AND kind = {Expansion}",
            MetricId.QuickRatio => $"SELECT CAST(sum({Gained}) AS DOUBLE) / nullif(CAST(sum({Lost}) AS DOUBLE), 0) FROM {q.PeriodMovements}",
            MetricId.Cac => Cac(q),
            MetricId.Nps => $"""
                SELECT 100 * CAST(count_if(score >= 9) - count_if(score <= 6) AS DOUBLE) / nullif(count(*), 0)
                FROM responses WHERE responded_at >= {q.F} AND responded_at < {q.T} AND survey = {(int)SurveyKind.Nps} AND score BETWEEN 0 AND {SurveyFormulas.NpsMax}
                """,
            MetricId.Csat => $"""
                SELECT 100 * CAST(count_if(score >= 4) AS DOUBLE) / nullif(count(*), 0)
                FROM responses WHERE responded_at >= {q.F} AND responded_at < {q.T} AND survey = {(int)SurveyKind.Csat} AND score BETWEEN 1 AND {SurveyFormulas.CsatMax}
                """,
            MetricId.Ces => $"""
                SELECT CAST(avg(score) AS DOUBLE)
                FROM responses WHERE responded_at >= {q.F} AND responded_at < {q.T} AND survey = {(int)SurveyKind.Ces} AND score BETWEEN 1 AND {SurveyFormulas.CesMax}
                """,
            MetricId.Fcr => $"""
                SELECT 100 * CAST(count_if(contacts = 1) AS DOUBLE) / nullif(count(*), 0)
                FROM tickets WHERE resolved_at >= {q.F} AND resolved_at < {q.T}
                """,
            MetricId.RepeatPurchase => $"""
                SELECT 100 * CAST(count_if(first_at < {q.F}) AS DOUBLE) / nullif(count(*), 0)
                FROM (SELECT DISTINCT customer FROM orders WHERE ordered_at >= {q.F} AND ordered_at < {q.T})
                JOIN (SELECT customer, min(ordered_at) AS first_at FROM orders GROUP BY customer) USING (customer)
                """,
            MetricId.Activation => $"""
                SELECT 100 * CAST(count_if(activated_at >= signed_up_at AND activated_at <= signed_up_at + INTERVAL {options.ActivationWindowDays} DAY) AS DOUBLE)
                    / nullif(count(*), 0)
                FROM customers WHERE signed_up_at >= {q.F} AND signed_up_at < {q.T}
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(question), question.Metric.Id, "No SQL for this metric."),
        };
    }

    /// <summary>CAC = acquisition spend in the period ÷ new (first-time) paying customers in the period.</summary>
    private static string Cac(Bounds q) => $"""
        SELECT CAST((SELECT coalesce(sum(amount), 0) FROM spend WHERE date >= {q.F} AND date < {q.T}) AS DOUBLE)
            / nullif((SELECT count_if(kind = {New}) FROM {q.PeriodMovements}), 0)
        """;

    /// <summary>
    /// Revenue churn / retention over the starting base judged start against end (RevenueFacts
    /// Base* fields): each customer paying at from is compared by their MRR at to with their MRR at
    /// from; lost = Σ max(from − to, 0) (churned + contraction), expanded = Σ max(to − from, 0).
    /// <paramref name="numerator"/> ÷ MRR at from, in %.
    /// </summary>
    private static string BaseDefinition(Bounds q, string numerator) => $"""
        WITH moved AS (
            SELECT coalesce(sum(greatest(mrr_from - mrr_to, 0)) FILTER (WHERE mrr_from > 0), 0) AS lost,
                coalesce(sum(greatest(mrr_to - mrr_from, 0)) FILTER (WHERE mrr_from > 0), 0) AS expanded,
                CAST(sum(mrr_from) AS DOUBLE) AS mrr_from
            FROM ({q.States(withChurn: false)}))
        SELECT 100 * CAST({numerator} AS DOUBLE) / nullif(mrr_from, 0) FROM moved
        """;

    /// <summary>The same from the neighbours: a starting customer who moved is at from their first movement's prev_mrr, at to their last movement's mrr.</summary>
    private static string BaseIndexed(Bounds q, string numerator) => $"""
        WITH f AS ({Bounds.Running(q.F)}), s AS ({q.Starters}), l AS ({q.LastInPeriod}),
        moved AS (
            SELECT coalesce(sum(greatest(s.prev_mrr - l.mrr, 0)), 0) AS lost, coalesce(sum(greatest(l.mrr - s.prev_mrr, 0)), 0) AS expanded
            FROM s JOIN l USING (customer)),
        start AS (SELECT CAST(mrr AS DOUBLE) AS mrr_from FROM f)
        SELECT 100 * CAST({numerator} AS DOUBLE) / nullif(mrr_from, 0) FROM moved, start
        """;

    /// <summary>LTV = ARPA at to × gross margin ÷ monthly churn, monthly = 1 − (1 − c)^(1/months), c the period's customer churn.</summary>
    private static string LtvDefinition(Bounds q, MetricEngineOptions options) => $"""
        WITH facts AS (
            SELECT CAST(sum(mrr_to) AS DOUBLE) / nullif(count_if(mrr_to > 0), 0) AS arpa,
                CAST(count_if(mrr_from > 0 AND mrr_to = 0) AS DOUBLE) / nullif(count_if(mrr_from > 0), 0) AS churn
            FROM ({q.States(withChurn: true)}))
        {LtvFromFacts(q, options)}
        """;

    private static string LtvIndexed(Bounds q, MetricEngineOptions options) => $"""
        WITH running AS (
            SELECT sum(mrr - prev_mrr) AS mrr_to,
                sum(CAST(mrr > 0 AS INTEGER) - CAST(prev_mrr > 0 AS INTEGER)) AS paying_to,
                sum(CAST(mrr > 0 AS INTEGER) - CAST(prev_mrr > 0 AS INTEGER)) FILTER (WHERE changed_at < {q.F}) AS paying_from
            FROM movements WHERE changed_at < {q.T}),
        s AS ({q.Starters}), l AS ({q.LastInPeriod}),
        facts AS (
            SELECT CAST(mrr_to AS DOUBLE) / nullif(paying_to, 0) AS arpa,
                CAST((SELECT count(*) FROM s JOIN l USING (customer) WHERE l.mrr = 0) AS DOUBLE) / nullif(paying_from, 0) AS churn
            FROM running)
        {LtvFromFacts(q, options)}
        """;

    private static string LtvFromFacts(Bounds q, MetricEngineOptions options)
    {
        var months = q.Months.ToString("R", CultureInfo.InvariantCulture);
        var margin = options.GrossMargin.ToString(CultureInfo.InvariantCulture);
        return $"""
            SELECT arpa * {margin} / nullif(monthly, 0)
            FROM (SELECT arpa, CASE WHEN churn >= 1 THEN 1.0 ELSE 1 - pow(1 - churn, 1 / {months}) END AS monthly FROM facts)
            """;
    }

    /// <summary>The period's bounds as SQL literals, and the fragments both variants are built from.</summary>
    private sealed class Bounds(Question question)
    {
        public string F { get; } = Literal(question.From);
        public string T { get; } = Literal(question.To);
        public double Days { get; } = question.Days;
        public double Months { get; } = question.Months;

        /// <summary>"FROM {PeriodMovements}": the movements dated in [from, to) (append more conditions with AND).</summary>
        public string PeriodMovements => $"movements WHERE changed_at >= {F} AND changed_at < {T}";

        /// <summary>Each customer's latest MRR before <paramref name="moment"/> (definition variant).</summary>
        public static string StateAt(string moment) => $"SELECT customer, arg_max(mrr, changed_at) AS mrr FROM movements WHERE changed_at < {moment} GROUP BY customer";

        /// <summary>Each customer's MRR at from and at to, and whether they churned in the period (definition variant).</summary>
        public string States(bool withChurn) => $"""
            SELECT customer,
                coalesce(arg_max(mrr, changed_at) FILTER (WHERE changed_at < {F}), 0) AS mrr_from,
                arg_max(mrr, changed_at) AS mrr_to{(withChurn ? $",\n    bool_or(kind = {Churn} AND changed_at >= {F}) AS churned" : string.Empty)}
            FROM movements WHERE changed_at < {T} GROUP BY customer
            """;

        /// <summary>MRR and paying customers at <paramref name="moment"/> as running sums of movements (indexed variant).</summary>
        public static string Running(string moment) => $"""
            SELECT coalesce(sum(mrr - prev_mrr), 0) AS mrr,
                coalesce(sum(CAST(mrr > 0 AS INTEGER) - CAST(prev_mrr > 0 AS INTEGER)), 0) AS paying
            FROM movements WHERE changed_at < {moment}
            """;

        /// <summary>One row per starting customer who moved in the period: their first movement in it (indexed variant).</summary>
        public string Starters => $"SELECT customer, prev_mrr, next_churn_at FROM {PeriodMovements} AND prev_at < {F} AND prev_mrr > 0";

        /// <summary>Each moving customer's last movement in the period: their state at to (indexed variant).</summary>
        public string LastInPeriod => $"SELECT customer, mrr FROM {PeriodMovements} AND (next_at IS NULL OR next_at >= {T})";

        private static string Literal(DateTime moment) =>
            $"TIMESTAMP '{moment.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'";
    }
}
