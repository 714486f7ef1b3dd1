using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GrowthBot.Core.Import;

/// <summary>
/// Parses JSON imports with the same columns and rules as CSV: an array of objects (read one
/// element at a time) or newline-delimited JSON (one object per line). Property names match the
/// columns ignoring case; a missing or null property is an empty field; numbers are taken as
/// written. Errors name the array item or the NDJSON line.
/// </summary>
public static class JsonImportParser
{
    public static async Task<ImportParseResult> ParseAsync(ImportKind kind, ImportFormat format, Stream body, IProgress<ImportProgress>? progress = null, TimeZoneInfo? zone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var rows = new ImportRows(kind, progress, zone);
        var columns = ImportKinds.ColumnsOf(kind);
        rows.Header([.. columns]);
        var (first, stream) = await PeekAsync(body, cancellationToken).ConfigureAwait(false);
        if (first is null) return rows.Empty();
        if (format == ImportFormat.Ndjson || first == (byte)'{')
        {
            await ReadLinesAsync(rows, columns, stream, cancellationToken).ConfigureAwait(false);
        }
        else if (first == (byte)'[')
        {
            await ReadArrayAsync(rows, columns, stream, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            rows.Fail(1, "the body is neither a JSON array of objects nor one JSON object per line");
        }
        return rows.Result();
    }

    private static async Task ReadArrayAsync(ImportRows rows, IReadOnlyList<string> columns, Stream stream, CancellationToken cancellationToken)
    {
        long item = 0;
        try
        {
            await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable(stream, ImportJson.Default.JsonElement, cancellationToken).ConfigureAwait(false))
            {
                item++;
                var (record, problem) = Record(element, columns);
                if (!rows.Row(item, record, problem, ImportError.ItemUnit)) return;
            }
        }
        catch (JsonException exception)
        {
            rows.Fail((exception.LineNumber ?? 0) + 1, $"the body is not valid JSON here ({FirstSentence(exception.Message)})");
        }
    }

    private static async Task ReadLinesAsync(ImportRows rows, IReadOnlyList<string> columns, Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        long line = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonElement element;
            try
            {
                using var document = JsonDocument.Parse(text);
                element = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                if (!rows.Row(line, EmptyRecord(columns.Count), $"not valid JSON ({FirstSentence(exception.Message)})")) return;
                continue;
            }
            var (record, problem) = Record(element, columns);
            if (!rows.Row(line, record, problem)) return;
        }
    }

    private static string[] EmptyRecord(int columns)
    {
        var record = new string[columns];
        Array.Fill(record, string.Empty);
        return record;
    }

    /// <summary>The object's values in column order, or why the element cannot be a row.</summary>
    private static (string[] Record, string? Problem) Record(JsonElement element, IReadOnlyList<string> columns)
    {
        var record = EmptyRecord(columns.Count);
        if (element.ValueKind != JsonValueKind.Object) return (record, $"expected an object with {string.Join(", ", columns)}, found {Describe(element.ValueKind)}");
        var problems = new List<string>();
        foreach (var property in element.EnumerateObject())
        {
            var index = IndexOf(columns, property.Name);
            if (index < 0) continue;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    record[index] = value.GetString() ?? string.Empty;
                    break;
                case JsonValueKind.Number:
                    record[index] = value.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    record[index] = value.GetRawText();
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    problems.Add($"{columns[index]} is {Describe(value.ValueKind)}; expected text or a number");
                    break;
            }
        }
        return (record, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }

    /// <summary>Reads up to the first non-blank byte and gives a stream that still starts at the beginning.</summary>
    private static async Task<(byte? First, Stream Stream)> PeekAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (true)
        {
            var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0) return (FirstNonBlank(buffer, length), new PrefixedStream(buffer, length, body));
            length += read;
            if (FirstNonBlank(buffer, length) is { } first) return (first, new PrefixedStream(buffer, length, body));
            // Only blanks so far: keep the byte-order mark and whitespace, drop nothing.
            if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        }
    }

    private static byte? FirstNonBlank(byte[] buffer, int length)
    {
        var start = length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
        for (var i = start; i < length; i++)
        {
            if (buffer[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return buffer[i];
        }
        return null;
    }
}
