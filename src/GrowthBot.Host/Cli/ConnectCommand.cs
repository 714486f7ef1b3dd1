using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GrowthBot.Connectors.Stripe;
using GrowthBot.Connectors.Stripe.Backfill;
using GrowthBot.Core.Billing;
using GrowthBot.Core.Import;
using GrowthBot.Host.Api;
using GrowthBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot connect stripe --backfill [--db PATH] [--host URL]</c>: reads every Stripe customer,
/// subscription and paid invoice (with <c>Stripe__SecretKey</c>, from <c>Stripe__ApiBase</c>) into the
/// store through the same mapping and ingest as the webhooks, showing progress. With no host on the
/// store it writes the store itself; when a host holds the store (or with <c>--host</c> and
/// <c>Cli__ApiKey</c>) the host runs it, with its own Stripe settings. Idempotent and resumable: a
/// second run writes nothing new, and after a failure a run applies only what is missing.
/// </summary>
internal static class ConnectCommand
{
    public const string Usage = "growthbot connect stripe --backfill [--db PATH] [--host URL]";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db", "host" }, new HashSet<string> { "backfill" });
        if (arguments.Positionals.Count != 1 || !string.Equals(arguments.Positionals[0], "stripe", StringComparison.OrdinalIgnoreCase) || !arguments.Switch("backfill"))
        {
            throw new UsageException($"Usage: {Usage}");
        }
        if (arguments.Option("host") is { } hostUrl)
        {
            var key = context.Configuration["Cli:ApiKey"];
            if (string.IsNullOrWhiteSpace(key)) throw new UsageException("--host needs an API key with the ingest scope in the environment variable Cli__ApiKey (create one with `growthbot apikey create NAME`).");
            return ThroughHost(context, hostUrl, key);
        }
        var storage = context.StorageFor(arguments);
        LiteGrowthStore store;
        try
        {
            store = new LiteGrowthStore(storage);
        }
        catch (StoreLockedException) when (HostFile.Read(storage.Path) is { } host)
        {
            context.Error.WriteLine($"A GrowthBot host holds {Path.GetFullPath(storage.Path)}; the backfill runs in it, with its Stripe settings ({host.Url}).");
            return ThroughHost(context, host.Url, host.Key);
        }
        using (store)
        {
            return Direct(context, store);
        }
    }

    private static int Direct(CliContext context, LiteGrowthStore store)
    {
        var options = new StripeOptions();
        context.Configuration.GetSection(StripeOptions.SectionName).Bind(options);
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new UsageException(string.Join(" ", problems.Select(problem => problem.ErrorMessage)));
        }
        if (string.IsNullOrWhiteSpace(options.SecretKey))
        {
            throw new UsageException("Set Stripe__SecretKey to a restricted key with read access to Customers, Subscriptions and Invoices (see docs/connectors.md).");
        }
        using var ingest = new BillingIngest(new ImportService(store, null, context.Company().Zone()), new LiteBillingLedger(store));
        var backfill = new StripeBackfill(ingest, Options.Create(options), context.Time, NullLogger<StripeBackfill>.Instance);
        var progress = new ConsoleProgress(context);
        StripeBackfillReport report;
        try
        {
            // The command line has no synchronisation context; blocking on the async backfill is safe here.
            report = backfill.RunAsync(new Progress(progress), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (StripeBackfillException exception)
        {
            progress.Finish();
            context.Error.WriteLine(exception.Message);
            return ExitCodes.HostUnavailable;
        }
        progress.Finish();
        if (report.Applied > 0) new LiteFreshnessStore(store).Save(Core.Freshness.DataSource.Billing, context.Time.GetUtcNow());
        Summary(context, report, store.FilePath);
        return ExitCodes.Ok;
    }

    private static int ThroughHost(CliContext context, string hostUrl, string key)
    {
        using var client = context.HttpClientFor(hostUrl);
        // A large account takes as long as it takes: progress lines keep coming meanwhile.
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/connect/stripe/backfill");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var progress = new ConsoleProgress(context);
        HttpResponseMessage response;
        try
        {
            response = client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        }
        catch (HttpRequestException exception)
        {
            context.Error.WriteLine($"No GrowthBot host answers at {hostUrl} ({exception.Message}). Nothing was written.");
            return ExitCodes.HostUnavailable;
        }
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                context.Error.WriteLine($"The host at {hostUrl} did not run the backfill ({(int)response.StatusCode}): {ErrorOf(response)}.");
                return response.StatusCode == HttpStatusCode.Conflict ? ExitCodes.StoreBusy : ExitCodes.HostUnavailable;
            }
            using var reader = new StreamReader(response.Content.ReadAsStream());
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0) continue;
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("stage", out var stage))
                {
                    progress.Report(new ImportProgress(stage.GetString()!, root.GetProperty("objects").GetInt64(), null, "read"));
                    continue;
                }
                progress.Finish();
                if (root.TryGetProperty("error", out var error))
                {
                    context.Error.WriteLine(error.GetString());
                    return ExitCodes.HostUnavailable;
                }
                var refused = root.GetProperty("refused").EnumerateArray().Select(item => item.GetString()!).ToList();
                Summary(context, new StripeBackfillReport(
                    root.GetProperty("customers").GetInt64(), root.GetProperty("subscriptions").GetInt64(), root.GetProperty("invoices").GetInt64(),
                    root.GetProperty("applied").GetInt64(), root.GetProperty("unchanged").GetInt64(), root.GetProperty("stale").GetInt64(), refused), $"the host at {hostUrl}");
                return ExitCodes.Ok;
            }
            progress.Finish();
            context.Error.WriteLine($"The host at {hostUrl} stopped answering before the backfill finished; what it applied stays. Run the backfill again to complete it.");
            return ExitCodes.HostUnavailable;
        }
    }

    private static void Summary(CliContext context, StripeBackfillReport report, string where)
    {
        context.Output.WriteLine(
            $"Stripe backfill into {where}: read {report.Customers:N0} customers, {report.Subscriptions:N0} subscriptions, {report.Invoices:N0} paid invoices; " +
            $"{report.Applied:N0} changes applied, {report.Unchanged:N0} already there, {report.Stale:N0} older than webhooks already applied.");
        foreach (var refusal in report.Refused) context.Error.WriteLine($"  refused: {refusal}");
    }

    private static string ErrorOf(HttpResponseMessage response)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Content.ReadAsStream(), ApiJson.Default.ApiError)?.Error ?? response.ReasonPhrase ?? "no reason given";
        }
        catch (JsonException)
        {
            return response.ReasonPhrase ?? "no reason given";
        }
    }

    /// <summary>Backfill progress on the import progress line: "customers 1,200 read".</summary>
    private sealed class Progress(ConsoleProgress console) : IProgress<StripeBackfillProgress>
    {
        public void Report(StripeBackfillProgress value) => console.Report(new ImportProgress(value.Stage, value.Objects, null, "read"));
    }
}
