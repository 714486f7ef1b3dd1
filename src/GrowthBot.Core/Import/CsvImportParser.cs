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

    /// <summary>Rows that were read but may not mean what the company meant (e.g. a repeated spend key).</summary>
    public IReadOnlyList<ImportError> Warnings { get; init; } = [];

    /// <summary>The line of each row id (customer, order, ticket, response, spend id), to name it when the store refuses it.</summary>
    public IReadOnlyDictionary<string, long> LineOfId { get; init; } = new Dictionary<string, long>();
}

/// <summary>A row that refers to a customer, by line number.</summary>
public sealed record CustomerReference(long Line, string CustomerId);

/// <summary>
/// Parses one import file completely before anything is written, so a bad row can reject the
/// whole file. Every bad row is reported with its line number and reason (up to
/// <see cref="MaxErrors"/>); a key that appears twice in one file with different values is an
/// error too, because it is unclear which one the company meant. Ids are exact (case-sensitive):
/// two ids that differ only in case (<c>acme</c>, <c>ACME</c>) are refused, naming both lines,
/// because the store compares ids ignoring case and would merge them.
/// </summary>
public static class CsvImportParser
{
    public const int MaxErrors = ImportRows.MaxErrors;

    /// <param name="kind">What the file holds.</param>
    /// <param name="reader">The CSV text.</param>
    /// <param name="progress">Rows read so far.</param>
    /// <param name="zone">The company's time zone: a date without a time is that day there. Default UTC.</param>
    public static ImportParseResult Parse(ImportKind kind, TextReader reader, IProgress<ImportProgress>? progress = null, TimeZoneInfo? zone = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new ImportRows(kind, progress, zone);
        using var parser = new CsvParser(reader, Configuration(), leaveOpen: true);
        while (true)
        {
            if (!parser.Read()) return rows.Empty();
            if (!IsBlank(parser.Record)) break;
        }
        if (!rows.Header(parser.Record ?? [])) return rows.Result();
        long nextLine = parser.RawRow + 1;
        try
        {
            while (parser.Read())
            {
                var line = nextLine;
                nextLine = parser.RawRow + 1;
                if (IsBlank(parser.Record)) continue;
                if (!rows.Row(line, parser.Record ?? [])) break;
            }
        }
        catch (CsvHelperException exception)
        {
            rows.Fail(nextLine, $"the file is not valid CSV here ({exception.GetType().Name})");
        }
        return rows.Result();
    }

    /// <summary>
    /// The same as <see cref="Parse"/>, reading asynchronously: an HTTP request body is read as it
    /// arrives, a buffer at a time, so a large upload is never held whole in memory.
    /// </summary>
    public static async Task<ImportParseResult> ParseAsync(ImportKind kind, TextReader reader, IProgress<ImportProgress>? progress = null, TimeZoneInfo? zone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new ImportRows(kind, progress, zone);
        using var parser = new CsvParser(reader, Configuration(), leaveOpen: true);
        while (true)
        {
            if (!await parser.ReadAsync().ConfigureAwait(false)) return rows.Empty();
            if (!IsBlank(parser.Record)) break;
        }
        if (!rows.Header(parser.Record ?? [])) return rows.Result();
        long nextLine = parser.RawRow + 1;
        try
        {
            while (await parser.ReadAsync().ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var line = nextLine;
                nextLine = parser.RawRow + 1;
                if (IsBlank(parser.Record)) continue;
                if (!rows.Row(line, parser.Record ?? [])) break;
            }
        }
        catch (CsvHelperException exception)
        {
            rows.Fail(nextLine, $"the file is not valid CSV here ({exception.GetType().Name})");
        }
        return rows.Result();
    }

    private static CsvConfiguration Configuration() => new(CultureInfo.InvariantCulture)
    {
        BadDataFound = null,
        DetectColumnCountChanges = false,
        TrimOptions = TrimOptions.None,
        // Blank lines must come through (and be skipped below) so line numbers stay true.
        IgnoreBlankLines = false,
    };

    private static bool IsBlank(string[]? record) => record is null || (record.Length == 1 && record[0].Trim().Length == 0);
}

/// <summary>
/// Validates the rows of one import, whatever the file format: the header's columns, each row's
/// fields, ids that differ only in case, and keys repeated with different values. CSV and JSON
/// parsers feed it records. A date without a time is that day in <paramref name="zone"/> (default UTC).
/// </summary>
internal sealed class ImportRows(ImportKind kind, IProgress<ImportProgress>? progress, TimeZoneInfo? zone = null)
{
    public const int MaxErrors = 50;

    private readonly GrowthDataBatch _batch = new();
    private readonly List<ImportError> _errors = [];
    private readonly Dictionary<string, (long Line, object Signature)> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Id, long Line)> _ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _lineOfId = new(StringComparer.Ordinal);
    private readonly List<ImportError> _warnings = [];
    private readonly List<CustomerReference> _references = [];
    private CsvFieldReader? _fields;
    private int _rows;

    public ImportKind Kind => kind;

    public ImportParseResult Empty()
    {
        _errors.Add(new ImportError(1, $"the file is empty; expected a header row: {string.Join(",", ImportKinds.ColumnsOf(kind))}"));
        return Result();
    }

    /// <summary>Takes the header row; false (with the error recorded) when a column is missing.</summary>
    public bool Header(string[] header)
    {
        var columns = HeaderColumns(header, kind, _errors);
        if (_errors.Count > 0) return false;
        _fields = new CsvFieldReader(columns, zone ?? TimeZoneInfo.Utc);
        return true;
    }

    /// <summary>Reads one record found at <paramref name="line"/>; false once too many rows were bad to go on.</summary>
    public bool Row(long line, string[] record) => Row(line, record, extraProblem: null);

    /// <summary>
    /// As <see cref="Row(long, string[])"/>, with a problem the format's parser found in the row
    /// itself, and where it is counted in lines (CSV, NDJSON) or items (a JSON array).
    /// </summary>
    public bool Row(long line, string[] record, string? extraProblem, string unit = ImportError.LineUnit)
    {
        var fields = _fields ?? throw new InvalidOperationException("The header comes first.");
        _rows++;
        fields.Start(record);
        if (extraProblem is not null) fields.Problems.Add(extraProblem);
        var before = _batch.Count;
        var (key, signature) = ReadRow(kind, fields, _batch);
        if (_batch.Count > before && LastCustomerId(kind, _batch) is { } customerId) _references.Add(new CustomerReference(line, customerId));
        var id = IdOf(kind, fields);
        if (id is not null && fields.Problems.Count == 0)
        {
            if (_ids.TryGetValue(id, out var seen) && !string.Equals(seen.Id, id, StringComparison.Ordinal))
            {
                fields.Problems.Add($"{IdColumn(kind)} '{id}' differs from '{seen.Id}' on {unit} {seen.Line} only in case; ids are exact, and the store cannot keep both, so rename one");
            }
            else if (!_ids.ContainsKey(id))
            {
                _ids[id] = (id, line);
                _lineOfId[id] = line;
            }
        }
        if (fields.Problems.Count == 0 && key is not null)
        {
            if (_keys.TryGetValue(key, out var earlier))
            {
                var sameSpend = kind == ImportKind.Spend && fields.Text("spend_id").Length == 0;
                if (!earlier.Signature.Equals(signature))
                {
                    fields.Problems.Add($"{key} also appears on {unit} {earlier.Line} with different values{(sameSpend ? " (if both are real, give each row a spend_id)" : string.Empty)}");
                }
                else if (sameSpend)
                {
                    _warnings.Add(new ImportError(line, $"{key} repeats {unit} {earlier.Line} and counts once; if these are two separate payments, add a spend_id column", unit));
                }
            }
            else
            {
                _keys[key] = (line, signature);
            }
        }
        if (_rows % 10_000 == 0) progress?.Report(new ImportProgress("reading", _rows, null));
        if (fields.Problems.Count == 0) return true;
        _errors.Add(new ImportError(line, string.Join("; ", fields.Problems), unit));
        if (_errors.Count < MaxErrors) return true;
        _errors.Add(new ImportError(line, $"stopped after {MaxErrors} bad rows; fix these and import again", unit));
        return false;
    }

    /// <summary>The file cannot be read on from <paramref name="line"/> (broken CSV or JSON).</summary>
    public void Fail(long line, string reason) => _errors.Add(new ImportError(line, reason));

    public ImportParseResult Result()
    {
        progress?.Report(new ImportProgress("reading", _rows, _rows));
        return new ImportParseResult(_batch, _rows, _errors, _references) { Warnings = _warnings.Count == 0 ? (IReadOnlyList<ImportError>)[] : _warnings, LineOfId = _lineOfId };
    }


    private static string? LastCustomerId(ImportKind kind, GrowthDataBatch batch) => kind switch
    {
        ImportKind.Subscriptions => batch.Subscriptions[^1].CustomerId,
        ImportKind.Orders => batch.Orders[^1].CustomerId,
        ImportKind.Tickets => batch.Tickets[^1].CustomerId,
        ImportKind.Responses => batch.Responses[^1].CustomerId,
        _ => null,
    };

    /// <summary>The id the store keys this row's document by, if the kind has one.</summary>
    private static string? IdOf(ImportKind kind, CsvFieldReader fields)
    {
        var id = kind switch
        {
            ImportKind.Customers or ImportKind.Subscriptions => fields.Text("customer_id"),
            ImportKind.Orders => fields.Text("order_id"),
            ImportKind.Tickets => fields.Text("ticket_id"),
            ImportKind.Responses => fields.Text("response_id"),
            ImportKind.Spend => fields.Text("spend_id"),
            _ => string.Empty,
        };
        return id.Length == 0 ? null : id;
    }

    private static string IdColumn(ImportKind kind) => kind switch
    {
        ImportKind.Customers or ImportKind.Subscriptions => "customer_id",
        ImportKind.Orders => "order_id",
        ImportKind.Tickets => "ticket_id",
        ImportKind.Responses => "response_id",
        _ => "spend_id",
    };

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

    /// <summary>
    /// Reads one row into the batch; returns its key and its values for duplicate detection (the
    /// row itself where the record compares by value: formatting a signature cost more than reading the row).
    /// </summary>
    private static (string? Key, object Signature) ReadRow(ImportKind kind, CsvFieldReader fields, GrowthDataBatch batch)
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
                return ($"customer {customer.Id}", customer);
            }
            case ImportKind.Subscriptions:
            {
                var change = new SubscriptionChange(fields.Required("customer_id"), fields.Date("date"), fields.Money("mrr"));
                if (fields.Problems.Count == 0) batch.Subscriptions.Add(change);
                return ($"customer {change.CustomerId} on {change.At:yyyy-MM-ddTHH:mm:ssZ}", change.Mrr);
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
                var spendId = fields.Text("spend_id");
                var spend = new SpendEntry(fields.Date("date"), fields.Required("channel"), category, fields.Money("amount"), spendId.Length == 0 ? null : spendId);
                if (fields.Problems.Count == 0) batch.Spend.Add(spend);
                if (spend.Id is { } known) return ($"spend {known}", FormattableString.Invariant($"{spend.Date:O}|{spend.Channel}|{category}|{spend.Amount:0.####}"));
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
                return ($"ticket {ticket.Id}", ticket);
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
                return ($"response {id}", response);
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
