using GrowthBot.Core.Import;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot import KIND FILE [KIND FILE …] [--db PATH]</c>: loads CSV files, all of them or nothing.
/// Rows for customers that are neither stored nor in the same command are refused by line.
/// </summary>
internal static class ImportCommand
{
    public const string Usage = "growthbot import <customers|subscriptions|orders|spend|tickets|responses> FILE [KIND FILE …] [--db PATH]";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db" }, new HashSet<string>());
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

        using var store = new LiteGrowthStore(context.StorageFor(arguments));
        var progress = new ConsoleProgress(context);
        var readers = files.Select(file => new StreamReader(file.Path, detectEncodingFromByteOrderMarks: true)).ToList();
        IReadOnlyList<ImportReport> reports;
        try
        {
            reports = new ImportService(store).Import([.. files.Select((file, i) => new ImportFile(file.Kind, readers[i]))], progress);
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }
        progress.Finish();

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
            context.Output.WriteLine(
                $"Imported {Plural(report.Rows, "row")} of {ImportKinds.NameOf(report.Kind)} from {files[i].Path} into {store.FilePath}: " +
                $"{report.Inserted:N0} new, {report.Updated:N0} updated, {report.Unchanged:N0} unchanged.");
        }
        return ExitCodes.Ok;
    }

    private static string Plural(int count, string noun) => $"{count:N0} {noun}{(count == 1 ? "" : "s")}";
}
