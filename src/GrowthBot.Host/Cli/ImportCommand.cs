using GrowthBot.Core.Import;
using GrowthBot.Host.Api;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot import KIND FILE [KIND FILE …] [--db PATH] [--host URL]</c>: loads files (CSV, or
/// JSON / NDJSON by their extension), all of them or nothing. Rows for customers that are neither
/// stored nor in the same command are refused by line. With no host on the store it writes the
/// store itself; when a host holds the store it hands the files to that host (found through the
/// store's host file); with <c>--host</c> it sends them to that host's import API with the key in
/// <c>Cli__ApiKey</c>. A host takes one file per request, customers first, so there each file is
/// all-or-nothing on its own.
/// </summary>
internal static class ImportCommand
{
    public const string Usage = "growthbot import <customers|subscriptions|orders|spend|tickets|responses> FILE [KIND FILE …] [--db PATH] [--host URL]";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db", "host" }, new HashSet<string>());
        var positionals = arguments.Positionals;
        if (positionals.Count == 0 || positionals.Count % 2 != 0) throw new UsageException($"Usage: {Usage}");
        var files = new List<(ImportKind Kind, string Path)>();
        for (var i = 0; i < positionals.Count; i += 2)
        {
            var (kindName, file) = (positionals[i], positionals[i + 1]);
            if (!ImportKinds.TryParse(kindName, out var kind))
            {
                throw new UsageException($"Unknown import kind '{kindName}'. Choose one of: {string.Join(", ", ImportKinds.Names)}.");
            }
            if (!File.Exists(file)) throw new UsageException($"File not found: {file}");
            files.Add((kind, file));
        }
        if (files.Count > 1 && files.Any(file => FormatOf(file.Path) != ImportFormat.Csv))
        {
            throw new UsageException("JSON files are imported one per command; give several files only as CSV.");
        }
        var inOrder = files.OrderBy(file => file.Kind == ImportKind.Customers ? 0 : 1).ToList();

        if (arguments.Option("host") is { } hostUrl)
        {
            var key = context.Configuration["Cli:ApiKey"];
            if (string.IsNullOrWhiteSpace(key)) throw new UsageException("--host needs an API key with the ingest scope in the environment variable Cli__ApiKey (create one with `growthbot apikey create NAME`).");
            return SendAll(context, hostUrl, key, inOrder);
        }

        var storage = context.StorageFor(arguments);
        LiteGrowthStore store;
        try
        {
            store = new LiteGrowthStore(storage);
        }
        catch (StoreLockedException) when (HostFile.Read(storage.Path) is { } host)
        {
            context.Error.WriteLine($"A GrowthBot host holds {Path.GetFullPath(storage.Path)}; sending the {(files.Count == 1 ? "file" : "files")} to it at {host.Url}.");
            return SendAll(context, host.Url, host.Key, inOrder);
        }
        using (store)
        {
            var format = FormatOf(files[0].Path);
            return format == ImportFormat.Csv ? Direct(context, store, files) : DirectJson(context, store, files[0].Kind, format, files[0].Path);
        }
    }

    private static int SendAll(CliContext context, string url, string key, List<(ImportKind Kind, string Path)> files)
    {
        foreach (var (kind, path) in files)
        {
            var code = HostImport.Send(context, url, key, kind, FormatOf(path), path);
            if (code != ExitCodes.Ok) return code;
        }
        return ExitCodes.Ok;
    }

    private static int Direct(CliContext context, LiteGrowthStore store, List<(ImportKind Kind, string Path)> files)
    {
        var progress = new ConsoleProgress(context);
        var readers = files.Select(file => new StreamReader(file.Path, detectEncodingFromByteOrderMarks: true)).ToList();
        IReadOnlyList<ImportReport> reports;
        try
        {
            reports = new ImportService(store, null, context.Company().Zone()).Import([.. files.Select((file, i) => new ImportFile(file.Kind, readers[i]))], progress);
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }
        progress.Finish();

        foreach (var report in reports)
        {
            foreach (var warning in report.Warnings) context.Error.WriteLine($"  warning: {warning}");
        }
        if (reports.Any(report => !report.Succeeded))
        {
            for (var i = 0; i < files.Count; i++)
            {
                var report = reports[i];
                if (report.Succeeded) continue;
                var badRows = report.Errors.Count(error => error.Line > 1 || report.Rows > 0);
                context.Error.WriteLine($"{files[i].Path} was not imported: {Plural(badRows, "problem")} found. Nothing from {(files.Count == 1 ? "this file" : "these files")} was written.");
                foreach (var error in report.Errors) context.Error.WriteLine($"  {error}");
            }
            return ExitCodes.BadData;
        }
        for (var i = 0; i < files.Count; i++)
        {
            var report = reports[i];
            if (report.Inserted + report.Updated > 0 && report.Kind != ImportKind.Spend) new LiteFreshnessStore(store).Save(SourceOf(report.Kind), context.Time.GetUtcNow());
            context.Output.WriteLine(Imported(report.Rows, report.Kind, files[i].Path, store.FilePath, report.Inserted, report.Updated, report.Unchanged));
        }
        return ExitCodes.Ok;
    }

    private static int DirectJson(CliContext context, LiteGrowthStore store, ImportKind kind, ImportFormat format, string file)
    {
        var progress = new ConsoleProgress(context);
        ImportReport report;
        using (var stream = File.OpenRead(file))
        {
            // The command line has no synchronisation context; blocking on the async import is safe here.
            report = new ImportService(store, null, context.Company().Zone()).ImportAsync(kind, format, stream, progress).GetAwaiter().GetResult();
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
