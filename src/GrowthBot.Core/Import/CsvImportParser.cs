using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using GrowthBot.Core.Data;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Import;

/// <summary>The rows of a file, or the reasons it cannot be imported.</summary>
public sealed record ImportParseResult(GrowthDataBatch Batch, int Rows, IReadOnlyList<ImportError> Errors, IReadOnlyList<CustomerReference>? References = null)
{
    /// <summary>The customer each good row of a subscriptions, orders, tickets or responses file refers to, with its line.</summary>
    public IReadOnlyList<CustomerReference> ReferenceList => References ?? [];
}

/// <summary>A row that refers to a customer, by line number.</summary>
public sealed record CustomerReference(long Line, string CustomerId);

/// <summary>
/// Parses one import file completely before anything is written, so a bad row can reject the
/// whole file. Every bad row is reported with its line number and reason (up to
/// <see cref="MaxErrors"/>); a key that appears twice in one file with different values is an
/// error too, because it is unclear which one the company meant.
/// </summary>
public static class CsvImportParser
{
    public const int MaxErrors = 50;

    public static ImportParseResult Parse(ImportKind kind, TextReader reader, IProgress<ImportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var batch = new GrowthDataBatch();
        var errors = new List<ImportError>();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.None,
            // Blank lines must come through (and be skipped below) so line numbers stay true.
            IgnoreBlankLines = false,
        };
        using var parser = new CsvParser(reader, configuration, leaveOpen: true);

        if (!ReadNonBlank(parser))
        {
            errors.Add(new ImportError(1, $"the file is empty; expected a header row: {string.Join(",", ImportKinds.ColumnsOf(kind))}"));
            return new ImportParseResult(batch, 0, errors);
        }
        var columns = HeaderColumns(parser.Record ?? [], kind, errors);
        if (errors.Count > 0) return new ImportParseResult(batch, 0, errors);

        var fields = new CsvFieldReader(columns);
        var keys = new Dictionary<string, (long Line, string Signature)>(StringComparer.Ordinal);
        var rows = 0;
        var references = new List<CustomerReference>();
        long nextLine = parser.RawRow + 1;
        try
        {
            while (parser.Read())
            {
                var line = nextLine;
                nextLine = parser.RawRow + 1;
                var record = parser.Record ?? [];
                if (IsBlank(record)) continue;
                rows++;
                fields.Start(record);
                var before = batch.Count;
                var (key, signature) = ReadRow(kind, fields, batch);
                if (batch.Count > before && LastCustomerId(kind, batch) is { } customerId) references.Add(new CustomerReference(line, customerId));
                if (fields.Problems.Count == 0 && key is not null)
                {
                    if (keys.TryGetValue(key, out var earlier))
                    {
                        if (earlier.Signature != signature) fields.Problems.Add($"{key} also appears on line {earlier.Line} with different values");
                    }
                    else
                    {
                        keys[key] = (line, signature);
                    }
                }
                if (fields.Problems.Count > 0)
                {
                    errors.Add(new ImportError(line, string.Join("; ", fields.Problems)));
                    if (errors.Count >= MaxErrors)
                    {
                        errors.Add(new ImportError(line, $"stopped after {MaxErrors} bad rows; fix these and import again"));
                        break;
                    }
                }
                if (rows % 10_000 == 0) progress?.Report(new ImportProgress("reading", rows, null));
            }
        }
        catch (CsvHelperException exception)
        {
            errors.Add(new ImportError(nextLine, $"the file is not valid CSV here ({exception.GetType().Name})"));
        }
        progress?.Report(new ImportProgress("reading", rows, rows));
        return new ImportParseResult(batch, rows, errors, references);
    }

    private static string? LastCustomerId(ImportKind kind, GrowthDataBatch batch) => kind switch
    {
        ImportKind.Subscriptions => batch.Subscriptions[^1].CustomerId,
        ImportKind.Orders => batch.Orders[^1].CustomerId,
        ImportKind.Tickets => batch.Tickets[^1].CustomerId,
        ImportKind.Responses => batch.Responses[^1].CustomerId,
        _ => null,
    };

    private static bool ReadNonBlank(CsvParser parser)
    {
        while (parser.Read())
        {
            if (!IsBlank(parser.Record)) return true;
        }
        return false;
    }

    private static bool IsBlank(string[]? record) => record is null || (record.Length == 1 && record[0].Trim().Length == 0);

    private static Dictionary<string, int> HeaderColumns(string[] header, ImportKind kind, List<ImportError> errors)
    {
        var found = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF');
            if (name.Length > 0) found.TryAdd(name, i);
        }
        var expected = ImportKinds.ColumnsOf(kind);
        var missing = expected.Where(column => !found.ContainsKey(column)).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new ImportError(1, $"missing column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}; a {ImportKinds.NameOf(kind)} file needs: {string.Join(",", expected)}"));
        }
        return found;
    }

    /// <summary>Reads one row into the batch; returns its key and a signature of its values for duplicate detection.</summary>
    private static (string? Key, string Signature) ReadRow(ImportKind kind, CsvFieldReader fields, GrowthDataBatch batch)
    {
        switch (kind)
        {
            case ImportKind.Customers:
            {
                var customer = new Customer(
                    fields.Required("customer_id"), fields.Text("name"), fields.Required("segment"),
                    fields.Required("acquisition_channel"), fields.Date("signed_up_at"), fields.OptionalDate("activated_at"));
                if (customer.ActivatedAt < customer.SignedUpAt) fields.Problems.Add("activated_at is before signed_up_at");
                if (fields.Problems.Count == 0) batch.Customers.Add(customer);
                return ($"customer {customer.Id}", customer.ToString());
            }
            case ImportKind.Subscriptions:
            {
                var change = new SubscriptionChange(fields.Required("customer_id"), fields.Date("date"), fields.Money("mrr"));
                if (fields.Problems.Count == 0) batch.Subscriptions.Add(change);
                return ($"customer {change.CustomerId} on {change.At:yyyy-MM-ddTHH:mm:ssZ}", change.Mrr.ToString("0.####", CultureInfo.InvariantCulture));
            }
            case ImportKind.Orders:
            {
                var order = new Order(fields.Required("order_id"), fields.Required("customer_id"), fields.Date("ordered_at"), fields.Money("amount"));
                if (fields.Problems.Count == 0) batch.Orders.Add(order);
                return ($"order {order.Id}", FormattableString.Invariant($"{order.CustomerId}|{order.OrderedAt:O}|{order.Amount:0.####}"));
            }
            case ImportKind.Spend:
            {
                var categoryText = fields.Required("category");
                var category = ParseCategory(categoryText, fields);
                var spend = new SpendEntry(fields.Date("date"), fields.Required("channel"), category, fields.Money("amount"));
                if (fields.Problems.Count == 0) batch.Spend.Add(spend);
                // The same key as the store's: the moment to the second, the channel and the category.
                var moment = spend.Date.TimeOfDay == TimeSpan.Zero ? $"{spend.Date:yyyy-MM-dd}" : $"{spend.Date:yyyy-MM-ddTHH:mm:ssZ}";
                return ($"spend on {moment} for {spend.Channel}/{category}".ToLowerInvariant(), spend.Amount.ToString("0.####", CultureInfo.InvariantCulture));
            }
            case ImportKind.Tickets:
            {
                var ticket = new Ticket(
                    fields.Required("ticket_id"), fields.Required("customer_id"), fields.Date("opened_at"),
                    fields.OptionalDate("resolved_at"), fields.Integer("contacts", 0, 100_000));
                if (ticket.ResolvedAt < ticket.OpenedAt) fields.Problems.Add("resolved_at is before opened_at");
                if (ticket.ResolvedAt is not null && ticket.Contacts == 0 && fields.Problems.Count == 0) fields.Problems.Add("contacts is 0 for a resolved ticket (a resolved ticket had at least one contact)");
                if (fields.Problems.Count == 0) batch.Tickets.Add(ticket);
                return ($"ticket {ticket.Id}", ticket.ToString());
            }
            case ImportKind.Responses:
            {
                var id = fields.Required("response_id");
                var surveyText = fields.Required("survey");
                var survey = ParseSurvey(surveyText, fields);
                var customerId = fields.Required("customer_id");
                var (min, max) = survey is { } known ? SurveyScales.Of(known) : (0, 10);
                var score = fields.Integer("score", min, max);
                var comment = fields.Text("comment");
                var respondedAt = fields.Date("responded_at");
                var response = new SurveyResponse(id, survey ?? SurveyKind.Nps, customerId, score, comment.Length == 0 ? null : comment, respondedAt);
                if (fields.Problems.Count == 0) batch.Responses.Add(response);
                return ($"response {id}", response.ToString());
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown import kind.");
        }
    }

    private static SpendCategory ParseCategory(string text, CsvFieldReader fields)
    {
        if (text.Length == 0) return SpendCategory.Marketing;
        if (Enum.TryParse<SpendCategory>(text, ignoreCase: true, out var category) && Enum.IsDefined(category) && !char.IsDigit(text[0])) return category;
        fields.Problems.Add($"category '{text}' is not one of marketing, sales, onboarding");
        return SpendCategory.Marketing;
    }

    private static SurveyKind? ParseSurvey(string text, CsvFieldReader fields)
    {
        if (text.Length == 0) return null;
        if (Enum.TryParse<SurveyKind>(text, ignoreCase: true, out var survey) && Enum.IsDefined(survey) && !char.IsDigit(text[0])) return survey;
        fields.Problems.Add($"survey '{text}' is not one of nps, ces, csat");
        return null;
    }
}
