using System.Diagnostics;
using System.Text;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>
/// The built growthbot executable run as a real child process (dotnet growthbot.dll), for the
/// behaviours only a process shows: signals, exit codes and a lock held by another process.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_gate) return _output.ToString();
        }
    }

    public int Id => _process.Id;

    public static HostProcess Start(string storePath, string environment, params string[] arguments) =>
        Start(storePath, environment, new Dictionary<string, string>(), arguments);

    /// <summary>Starts the host with extra environment variables (settings such as <c>Slack__BotToken</c>).</summary>
    public static HostProcess Start(string storePath, string environment, IReadOnlyDictionary<string, string> settings, params string[] arguments) =>
        StartIn(null, storePath, environment, settings, arguments);

    /// <summary>Starts the host with <paramref name="workingDirectory"/> as its current folder (null: this process's).</summary>
    public static HostProcess StartIn(string? workingDirectory, string storePath, string environment, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["Storage__Path"] = storePath;
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (name, value) in settings) start.Environment[name] = value;
        return new HostProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits until the output contains <paramref name="text"/> (the child's own progress, not a timer).</summary>
    public bool WaitForOutput(string text, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) return Output.Contains(text, StringComparison.Ordinal);
            lock (_gate) Monitor.Wait(_gate, TimeSpan.FromMilliseconds(200));
        }
        return false;
    }

    public int WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit)) throw new TimeoutException($"growthbot did not exit in time. Output:\n{Output}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void SendSigterm()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>kill -9: the process gets no chance to flush, close or say goodbye.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _output.AppendLine(line);
            Monitor.PulseAll(_gate);
        }
    }
}
