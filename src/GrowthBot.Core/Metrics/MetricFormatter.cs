using System.Globalization;
using GrowthBot.Core.Text;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics;

/// <summary>Writes metric values the way people read them, one place for every surface (CLI, Slack, Teams).</summary>
public static class MetricFormatter
{
    /// <summary>"3.1%", "+32", "5.4 / 7", "USD 12,345", "2.8×", or "no data" when undefined; in <paramref name="culture"/>'s digits ("3,1 %", "12.345,00 USD") when given.</summary>
    public static string Value(MetricDefinition metric, decimal? value, string currency, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (value is not { } v) return "no data";
        return metric.Unit switch
        {
            MetricUnit.Percent => CultureText.Percent(CultureText.Number(v, "0.##", culture), culture),
            MetricUnit.NpsScore => (v > 0 ? "+" : "") + CultureText.Number(v, "0.#", culture),
            MetricUnit.MeanScore => CultureText.Number(v, "0.00", culture) + " / 7",
            MetricUnit.Money => CultureText.Money(CultureText.Number(v, "#,0.00", culture), currency, culture),
            MetricUnit.Ratio => CultureText.Number(v, "0.00", culture) + "×",
            MetricUnit.Count => CultureText.Number(v, "#,0", culture),
            _ => v.ToString(culture ?? CultureInfo.InvariantCulture),
        };
    }

    /// <summary>How the value was reached, e.g. "41 of 1,314" or "from 812 responses, ±4.1".</summary>
    public static string Basis(MetricDefinition metric, MetricResult result, string currency, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(result);
        var parts = new List<string>();
        if (result.Denominator is { } denominator && result.Numerator is { } numerator)
        {
            parts.Add(IsDivision(metric)
                ? $"{Numerator(metric, numerator, currency, culture)} ÷ {Denominator(metric, denominator, currency, culture)}"
                : $"{CultureText.Number(numerator, "#,0.##", culture)} of {CultureText.Number(denominator, "#,0.##", culture)}");
        }
        parts.Add($"n = {CultureText.Number(result.SampleSize, "N0", culture)}");
        if (result.MarginOfError is { } margin) parts.Add($"±{CultureText.Number(margin, "0.0", culture)} at 95%");
        return string.Join(", ", parts);
    }

    /// <summary>
    /// The top of a metric's ratio as people read it: an amount of money (MRR, spend, ARPA's MRR) is
    /// rounded to cents with the currency, like every other amount; counts as whole numbers.
    /// </summary>
    public static string Numerator(MetricDefinition metric, decimal value, string currency, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return MoneyTop(metric) ? Amount(value, currency, culture) : CultureText.Number(value, "#,0.##", culture);
    }

    /// <summary>
    /// The bottom of a metric's ratio: money (MRR at the start of revenue churn, NRR, the quick
    /// ratio's losses) rounded to cents with the currency; a count or a share (LTV's monthly churn) as it is.
    /// </summary>
    public static string Denominator(MetricDefinition metric, decimal value, string currency, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        // ARPA and CAC divide by a count of customers, LTV by a monthly churn share: only the revenue ratios have money below.
        return MoneyTop(metric) && metric.Unit != MetricUnit.Money ? Amount(value, currency, culture) : CultureText.Number(value, "#,0.####", culture);
    }

    private static bool IsDivision(MetricDefinition metric) => MoneyTop(metric) || metric.Unit is MetricUnit.MeanScore;

    private static bool MoneyTop(MetricDefinition metric) =>
        metric.Unit is MetricUnit.Money || metric.Id is MetricId.QuickRatio or MetricId.LtvCac or MetricId.Nrr or MetricId.Grr
            or MetricId.GrossRevenueChurn or MetricId.NetRevenueChurn or MetricId.ExistingRevenueGrowth or MetricId.RevenueGrowth;

    private static string Amount(decimal value, string currency, CultureInfo? culture) => CultureText.Money(CultureText.Number(value, "#,0.00", culture), currency, culture);

    /// <summary>The change from <paramref name="previous"/> to <paramref name="current"/>: points for rates, relative % for money.</summary>
    public static string Change(MetricDefinition metric, decimal? current, decimal? previous, string currency, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (current is not { } now || previous is not { } before) return "no comparison";
        var delta = now - before;
        var sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
        var size = Math.Abs(delta);
        string Relative() => CultureText.Percent(sign + CultureText.Number(Math.Abs(delta / before * 100), "0.#", culture), culture);
        return metric.Unit switch
        {
            MetricUnit.Percent => $"{sign}{CultureText.Number(size, "0.##", culture)} pts",
            MetricUnit.NpsScore => sign + CultureText.Number(size, "0.#", culture),
            MetricUnit.MeanScore or MetricUnit.Ratio => sign + CultureText.Number(size, "0.00", culture),
            MetricUnit.Count when before != 0 => $"{sign}{CultureText.Number(size, "#,0", culture)} ({Relative()})",
            MetricUnit.Count => sign + CultureText.Number(size, "#,0", culture),
            MetricUnit.Money when before != 0 => $"{sign}{Amount(size, currency, culture)} ({Relative()})",
            _ => sign + Amount(size, currency, culture),
        };
    }

    /// <summary>
    /// The formula as computed, with its terms in place and the result:
    /// "(churned MRR USD 250.00 + contraction MRR USD 50.00) ÷ MRR at the start USD 1,000.00 × 100 = 30.00%".
    /// A term named twice shows its value the first time only.
    /// </summary>
    public static string Workings(MetricDefinition metric, MetricWorkings workings, decimal? value, string currency, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(workings);
        var shown = new bool[workings.Terms.Count];
        var text = System.Text.RegularExpressions.Regex.Replace(workings.Formula, @"\{(\d+)\}", match =>
        {
            var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var term = workings.Terms[index];
            if (shown[index]) return term.Name;
            shown[index] = true;
            return $"{term.Name} {Term(term, currency, culture)}";
        });
        return $"{metric.Title} = {text} = {Value(metric, value, currency, culture)}";
    }

    /// <summary>One term's number in its unit.</summary>
    public static string Term(MetricTerm term, string currency, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(term);
        return term.Unit switch
        {
            TermUnit.Money => Amount(term.Value, currency, culture),
            TermUnit.Count => CultureText.Number(term.Value, "#,0", culture),
            TermUnit.Percent => CultureText.Percent(CultureText.Number(term.Value, "0.####", culture), culture),
            _ => CultureText.Number(term.Value, "#,0.####", culture),
        };
    }
}
