using GrowthBot.Host.Tests.Cli;
using GrowthBot.Slack.Simulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.SlackSim;

/// <summary>The real host configured with the settings the simulator hands out (token, signing secret, its Web API's address), on a small demo store.</summary>
internal sealed class SimulatorHostFactory(IReadOnlyDictionary<string, string> settings, string storePath, FakeTimeProvider time) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Storage:Path", storePath);
        builder.UseSetting("Company:Name", "Acme");
        builder.UseSetting("Slack:MinimumChannelInterval", "00:00:00");
        builder.UseSetting("Surveys:SendInterval", "00:00:00");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
    }
}

/// <summary>
/// One test's world: a demo store of 30 customers, the local Slack simulator, and the real host
/// wired to it; what the simulator prints is captured. One clock (a FakeTimeProvider at
/// <see cref="CliRunner.Now"/>) serves the host and the simulator's signer alike.
/// </summary>
public abstract class SimulatorTest : IAsyncLifetime
{
    private readonly TempStore _store = new();

    internal FakeTimeProvider Time { get; } = new(CliRunner.Now);

    internal StringWriter Output { get; } = new();

    internal SlackSimulator Simulator { get; private set; } = null!;

    internal SimulatorHostFactory Host { get; private set; } = null!;

    internal string StorePath => _store.DbPath;

    /// <summary>False gives the host another signing secret than the simulator signs with.</summary>
    internal virtual bool HostKnowsTheSecret => true;

    public async Task InitializeAsync()
    {
        Assert.Equal(0, CliRunner.Run("demo", "--customers", "30", "--db", _store.DbPath).ExitCode);
        // Under load a host can be slower than Slack's 3 seconds; the limits here only guard against hanging.
        var options = new SimOptions { DeliveryTimeout = TimeSpan.FromSeconds(60), WaitLimit = TimeSpan.FromSeconds(60), FilesFolder = Path.Combine(_store.Folder, "files") };
        Simulator = await SlackSimulator.StartAsync(options, TextWriter.Synchronized(Output), Time);
        var settings = new Dictionary<string, string>(Simulator.HostSettings());
        if (!HostKnowsTheSecret) settings["Slack:SigningSecret"] = SimWorkspace.Generate().SigningSecret;
        Host = new SimulatorHostFactory(settings, _store.DbPath, Time);
        Simulator.Connect(Host.CreateClient(), Time);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Simulator.DisposeAsync();
        _store.Dispose();
    }

    /// <summary>Types lines into the simulator as a person would.</summary>
    internal async Task TypeAsync(params string[] lines)
    {
        foreach (var line in lines) Assert.True(await Simulator.HandleAsync(line, CancellationToken.None));
    }

    /// <summary>Everything the simulator has printed since <paramref name="from"/> (a length of <see cref="Output"/>).</summary>
    internal string Printed(int from = 0)
    {
        var all = Output.ToString();
        return all[Math.Min(from, all.Length)..];
    }
}
