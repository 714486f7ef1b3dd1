using GrowthBot.Host.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Cli;

/// <summary>Runs the growthbot verbs in-process with captured output and a fixed clock.</summary>
internal static class CliRunner
{
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public static (int ExitCode, string Output, string Error) Run(params string[] args) => RunWith(new Dictionary<string, string?>(), args);

    /// <summary>Runs with these settings (e.g. <c>Company:TimeZone</c>) as the configuration.</summary>
    public static (int ExitCode, string Output, string Error) RunWith(IDictionary<string, string?> settings, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var context = new CliContext(output, error, new FakeTimeProvider(Now), configuration);
        var exitCode = GrowthBotCli.Run(args, context);
        return (exitCode, output.ToString(), error.ToString());
    }
}
