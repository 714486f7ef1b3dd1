using GrowthBot.Core.Import;
using GrowthBot.Host.Api;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot import KIND FILE [--db PATH] [--host URL]</c>: loads one file (CSV, or JSON / NDJSON
/// by its extension), all of it or nothing. With no host on the store it writes the store itself;
/// when a host holds the store it hands the file to that host (found through the store's host
/// file); with <c>--host</c> it sends it to that host's import API with the key in <c>Cli__ApiKey</c>.
/// </summary>
internal static class ImportCommand
{
    public const string Usage = "growthbot import <customers|subscriptions|orders|spend|tickets|responses> FILE [--db PATH] [--host URL]";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db", "host" }, new HashSet<string>());
        if (arguments.Positionals.Count != 2) throw new UsageException($"Usage: {Usage}");
        var (kindName, file) = (arguments.Positionals[0], arguments.Positionals[1]);
        if (!ImportKinds.TryParse(kindName, out var kind))
        {
            throw new UsageException($"Unknown import kind '{kindName}'. Choose one of: {string.Join(", ", ImportKinds.Names)}.");
        }
        if (!File.Exists(file)) throw new UsageException($"File not found: {file}");
        var format = FormatOf(file);

        if (arguments.Option("host") is { } hostUrl)
        {
            var key = context.Configuration["Cli:ApiKey"];
            if (string.IsNullOrWhiteSpace(key)) throw new UsageException("--host needs an API key with the ingest scope in the environment variable Cli__ApiKey (create one with `growthbot apikey create NAME`).");
            return HostImport.Send(context, hostUrl, key, kind, format, file);
        }

        var storage = context.StorageFor(arguments);
        LiteGrowthStore store;
        try
        {
            store = new LiteGrowthStore(storage);
        }
        catch (StoreLockedException) when (HostFile.Read(storage.Path) is { } host)
        {
            context.Error.WriteLine($"A GrowthBot host holds {Path.GetFullPath(storage.Path)}; sending the file to it at {host.Url}.");
            return HostImport.Send(context, host.Url, host.Key, kind, format, file);
        }
        using (store)
        {
            return Direct(context, store, kind, format, file);
        }
    }

    private static int Direct(CliContext context, LiteGrowthStore store, ImportKind kind, ImportFormat format, string file)
    {
        var progress = new ConsoleProgress(context);
        ImportReport report;
        var importer = new ImportService(store, null, context.Company().Zone());
        if (format == ImportFormat.Csv)
        {
            using var reader = new StreamReader(file, detectEncodingFromByteOrderMarks: true);
            report = importer.Import(kind, reader, progress);
        }
        else
        {
            using var stream = File.OpenRead(file);
            // The command line has no synchronisation context; blocking on the async import is safe here.
            report = importer.ImportAsync(kind, format, stream, progress).GetAwaiter().GetResult();
        }
        progress.Finish();

        foreach (var warning in report.Warnings) context.Error.WriteLine($"  warning: {warning}");
        if (!report.Succeeded) return Refused(context, file, report.Rows, report.Errors);
        if (report.Inserted + report.Updated > 0 && kind != ImportKind.Spend) new LiteFreshnessStore(store).Save(SourceOf(kind), context.Time.GetUtcNow());
        context.Output.WriteLine(Imported(report.Rows, kind, file, store.FilePath, report.Inserted, report.Updated, report.Unchanged));
        return ExitCodes.Ok;
    }

    internal static int Refused(CliContext context, string file, int rows, IReadOnlyList<ImportError> errors)
    {
        var badRows = errors.Count(error => error.Line > 1 || rows > 0);
        context.Error.WriteLine($"{file} was not imported: {Plural(badRows, "problem")} found. Nothing from this file was written.");
        foreach (var error in errors) context.Error.WriteLine($"  {error}");
        return ExitCodes.BadData;
    }

    internal static string Imported(int rows, ImportKind kind, string file, string where, int inserted, int updated, int unchanged) =>
        $"Imported {Plural(rows, "row")} of {ImportKinds.NameOf(kind)} from {file} into {where}: " +
        $"{inserted:N0} new, {updated:N0} updated, {unchanged:N0} unchanged.";

    /// <summary>The source whose freshness an import of this kind renews (spend belongs to none).</summary>
    private static Core.Freshness.DataSource SourceOf(ImportKind kind) => kind switch
    {
        ImportKind.Tickets => Core.Freshness.DataSource.Support,
        ImportKind.Responses => Core.Freshness.DataSource.Surveys,
        _ => Core.Freshness.DataSource.Billing,
    };

    /// <summary>JSON files by their extension (.json: an array or NDJSON; .ndjson/.jsonl: NDJSON); anything else is CSV.</summary>
    internal static ImportFormat FormatOf(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".json" => ImportFormat.Json,
        ".ndjson" or ".jsonl" => ImportFormat.Ndjson,
        _ => ImportFormat.Csv,
    };

    internal static string ContentTypeOf(ImportFormat format) => format switch
    {
        ImportFormat.Json => "application/json",
        ImportFormat.Ndjson => "application/x-ndjson",
        _ => "text/csv",
    };

    private static string Plural(int count, string noun) => $"{count:N0} {noun}{(count == 1 ? "" : "s")}";
}
