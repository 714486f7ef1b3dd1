using System.Net.Sockets;
using GrowthBot.Host.Cli;
using GrowthBot.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// The reasons the host cannot start that are the operator's to fix (settings, the port, the store),
/// turned into one line that says what is wrong and what to do, and a documented exit code, instead
/// of an unhandled exception's stack trace. Anything else is a bug and keeps its stack trace.
/// </summary>
internal sealed record HostStartupFailure(int ExitCode, string Message)
{
    public static bool TryDescribe(Exception exception, out HostStartupFailure failure)
    {
        failure = null!;
        // WebApplicationFactory and `dotnet ef` stop the entry point with this on purpose.
        if (exception is HostAbortedException) return false;
        // Run inside another program (WebApplicationFactory in the tests), the exception is that program's to see.
        if (System.Reflection.Assembly.GetEntryAssembly() != typeof(HostStartupFailure).Assembly) return false;
        var causes = Causes(exception).ToList();
        // The Production requirements list every missing setting at once: shown before any other settings error.
        var production = causes.OfType<OptionsValidationException>().Where(invalid => invalid.OptionsType == typeof(ProductionRequirements));
        foreach (var cause in production.Concat(causes))
        {
            var described = Describe(cause);
            if (described is null) continue;
            failure = described;
            return true;
        }
        return false;
    }

    private static HostStartupFailure? Describe(Exception cause) => cause switch
    {
        StoreLockedException locked => new(ExitCodes.StoreBusy,
            $"GrowthBot cannot start: the store '{locked.Path}' is in use by another GrowthBot process (a host or a command). Stop it, or give this host another file with Storage__Path."),
        StoreOpenException open => new(ExitCodes.StoreUnreadable, $"GrowthBot cannot start: {open.Message}"),
        Storage.Postgres.SchemaTooNewException schema => new(ExitCodes.StoreUnreadable, $"GrowthBot cannot start: {schema.Message}"),
        Npgsql.NpgsqlException postgres => new(ExitCodes.StoreUnreadable,
            $"GrowthBot cannot start: the PostgreSQL store cannot be opened ({postgres.Message.TrimEnd('.')}). Check Storage__ConnectionString and that the server is running."),
        OptionsValidationException production when production.OptionsType == typeof(ProductionRequirements) => new(ExitCodes.BadSettings,
            string.Join(Environment.NewLine, production.Failures.Select(failure => $"GrowthBot cannot start in Production: {failure}"))),
        OptionsValidationException invalid => new(ExitCodes.BadSettings,
            $"GrowthBot cannot start: bad settings in {invalid.OptionsType.Name.Replace("Options", "", StringComparison.Ordinal)}: {string.Join(" ", invalid.Failures)} Fix them in the environment (Section__Name=value) or appsettings.json."),
        InvalidOperationException settings when settings.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)
            || settings.Message.StartsWith("Failed to read", StringComparison.Ordinal) && settings.InnerException is FormatException => new(ExitCodes.BadSettings,
            $"GrowthBot cannot start: {settings.Message.TrimEnd('.')}. Fix that setting in the environment (Section__Name=value) or appsettings.json."),
        IOException bind when bind.InnerException is AddressInUseException || bind.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) => new(ExitCodes.AddressInUse,
            $"GrowthBot cannot start: {bind.Message.TrimEnd('.')}. Another program (perhaps another GrowthBot) listens there: stop it, or choose another address with --urls http://127.0.0.1:PORT or ASPNETCORE_URLS."),
        SocketException { SocketErrorCode: SocketError.AccessDenied } denied => new(ExitCodes.AddressInUse,
            $"GrowthBot cannot start: not allowed to listen on that address ({denied.Message}). Choose a port above 1023 with --urls http://127.0.0.1:PORT."),
        _ => null,
    };

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions) pending.Push(inner);
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
