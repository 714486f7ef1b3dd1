using GrowthBot.Core.Import;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary><c>growthbot import KIND FILE [--db PATH]</c>: loads one CSV file, all of it or nothing.</summary>
internal static class ImportCommand
{
    public const string Usage = "growthbot import <customers|subscriptions|orders|spend|tickets|responses> FILE [--db PATH]";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db" }, new HashSet<string>());
        if (arguments.Positionals.Count != 2) throw new UsageException($"Usage: {Usage}");
        var (kindName, file) = (arguments.Positionals[0], arguments.Positionals[1]);
        if (!ImportKinds.TryParse(kindName, out var kind))
        {
            throw new UsageException($"Unknown import kind '{kindName}'. Choose one of: {string.Join(", ", ImportKinds.Names)}.");
        }
        if (!File.Exists(file)) throw new UsageException($"File not found: {file}");

        using var store = new LiteGrowthStore(context.StorageFor(arguments));
        var progress = new ConsoleProgress(context);
        ImportReport report;
        using (var reader = new StreamReader(file, detectEncodingFromByteOrderMarks: true))
        {
            report = new ImportService(store, null, context.Company().Zone()).Import(kind, reader, progress);
        }
        progress.Finish();

        foreach (var warning in report.Warnings) context.Error.WriteLine($"  warning: {warning}");
        if (!report.Succeeded)
        {
            var badRows = report.Errors.Count(error => error.Line > 1 || report.Rows > 0);
            context.Error.WriteLine($"{file} was not imported: {Plural(badRows, "problem")} found. Nothing from this file was written.");
            foreach (var error in report.Errors) context.Error.WriteLine($"  {error}");
            return ExitCodes.BadData;
        }
        context.Output.WriteLine(
            $"Imported {Plural(report.Rows, "row")} of {ImportKinds.NameOf(kind)} from {file} into {store.FilePath}: " +
            $"{report.Inserted:N0} new, {report.Updated:N0} updated, {report.Unchanged:N0} unchanged.");
        return ExitCodes.Ok;
    }

    private static string Plural(int count, string noun) => $"{count:N0} {noun}{(count == 1 ? "" : "s")}";
}
