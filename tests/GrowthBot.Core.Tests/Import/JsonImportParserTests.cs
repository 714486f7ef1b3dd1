using System.Text;
using GrowthBot.Core.Import;

namespace GrowthBot.Core.Tests.Import;

public sealed class JsonImportParserTests
{
    private static Task<ImportParseResult> Parse(ImportKind kind, string body, ImportFormat format = ImportFormat.Json) =>
        JsonImportParser.ParseAsync(kind, format, new MemoryStream(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public async Task Parse_Array_ReadsTheSameRowsAsCsv()
    {
        var json = await Parse(ImportKind.Orders, """[{"order_id":"o1","customer_id":"c1","ordered_at":"2025-03-01","amount":19.5},{"ORDER_ID":"o2","customer_id":"c1","ordered_at":"2025-03-02T10:00:00Z","amount":"20"}]""");
        var csv = CsvImportParser.Parse(ImportKind.Orders, new StringReader("order_id,customer_id,ordered_at,amount\no1,c1,2025-03-01,19.5\no2,c1,2025-03-02T10:00:00Z,20\n"));

        Assert.Empty(json.Errors);
        Assert.Equal(csv.Batch.Orders, json.Batch.Orders);
    }

    [Fact]
    public async Task Parse_Ndjson_ErrorsNameTheLines()
    {
        const string body = "{\"customer_id\":\"c1\",\"date\":\"2025-01-10\",\"mrr\":100}\n\n{\"customer_id\":\"c2\",\"date\":\"2025-01-10\",\"mrr\":-5}\n{not json\n";

        var result = await Parse(ImportKind.Subscriptions, body, ImportFormat.Ndjson);

        Assert.Equal(["line 3", "line 4"], result.Errors.Select(error => $"{error.Unit} {error.Line}"));
        Assert.Contains("not valid JSON", result.Errors[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_JsonBodyStartingWithAnObject_IsReadAsNdjson()
    {
        var result = await Parse(ImportKind.Subscriptions, "\uFEFF  {\"customer_id\":\"c1\",\"date\":\"2025-01-10\",\"mrr\":100}\n{\"customer_id\":\"c2\",\"date\":\"2025-01-11\",\"mrr\":1}");

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Batch.Subscriptions.Count);
    }

    [Fact]
    public async Task Parse_DuplicateKeyWithOtherValues_NamesBothItems()
    {
        var result = await Parse(ImportKind.Subscriptions, """[{"customer_id":"c1","date":"2025-01-10","mrr":100},{"customer_id":"c1","date":"2025-01-10","mrr":200}]""");

        var error = Assert.Single(result.Errors);
        Assert.Equal("item 2: customer c1 on 2025-01-10T00:00:00Z also appears on item 1 with different values", error.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    public async Task Parse_EmptyBody_IsAnError(string body) =>
        Assert.Single((await Parse(ImportKind.Customers, body)).Errors);

    [Fact]
    public async Task Parse_BrokenArray_SaysWhere()
    {
        var result = await Parse(ImportKind.Subscriptions, "[{\"customer_id\":\"c1\",\"date\":\"2025-01-10\",\"mrr\":100},\n{\"customer_id\":");

        Assert.Contains(result.Errors, error => error.Reason.Contains("not valid JSON", StringComparison.Ordinal) && error.Line == 2);
    }
}
