using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

// dotnet run -c Release --project bench/GrowthBot.Bench.Import -- [--rows 1000000] [--host-dll PATH] [--gen0size 0x4000000]
var rows = Option("--rows") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : 1_000_000;
// DOTNET_GCgen0size for the host, as deploy/systemd/growthbot.service sets it; "0" leaves the runtime's default.
var gen0Size = Option("--gen0size") ?? "0x4000000";
var root = FindRoot();
var hostDll = Option("--host-dll") ?? Path.Combine(root, "src", "GrowthBot.Host", "bin", "Release", "net10.0", "growthbot.dll");
if (!File.Exists(hostDll)) throw new InvalidOperationException($"Build the host first: dotnet build -c Release src/GrowthBot.Host ({hostDll} is missing)");
var folder = Path.Combine(Path.GetTempPath(), "growthbot-import-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
var store = Path.Combine(folder, "growthbot.db");
try
{
    var key = RunToEnd(hostDll, ["apikey", "create", "bench", "--db", store]).Trim();
    var csv = Path.Combine(folder, "customers.csv");
    await using (var writer = new StreamWriter(csv, false, new UTF8Encoding(false)))
    {
        await writer.WriteLineAsync("customer_id,name,segment,acquisition_channel,signed_up_at,activated_at");
        for (var i = 0; i < rows; i++)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"C-{i:D8},Company {i},{(i % 3 == 0 ? "SMB" : i % 3 == 1 ? "Mid-Market" : "Enterprise")},organic,2025-{1 + i % 12:D2}-{1 + i % 28:D2},"));
        }
    }
    var bytes = new FileInfo(csv).Length;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CSV: {rows:N0} customer rows, {bytes / 1048576.0:F1} MiB; host {hostDll}"));

    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in new[] { hostDll, "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(argument);
    start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    start.Environment["Company__Name"] = "Bench Co";
    start.Environment["Storage__Path"] = store;
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
    if (gen0Size != "0") start.Environment["DOTNET_GCgen0size"] = gen0Size;
    using var host = Process.Start(start)!;
    var address = new TaskCompletionSource<string>();
    host.OutputDataReceived += (_, line) =>
    {
        if (line.Data is { } data && Regex.Match(data, @"Now listening on: (http://127\.0\.0\.1:\d+)") is { Success: true } match) address.TrySetResult(match.Groups[1].Value);
    };
    host.BeginOutputReadLine();
    host.BeginErrorReadLine();
    var baseAddress = await address.Task.WaitAsync(TimeSpan.FromMinutes(2));
    using var client = new HttpClient { BaseAddress = new Uri(baseAddress + "/"), Timeout = Timeout.InfiniteTimeSpan };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    while (!(await client.GetAsync(new Uri("healthz", UriKind.Relative))).IsSuccessStatusCode) await Task.Delay(200);
    var baseline = PeakRssMiB(host.Id);

    foreach (var run in new[] { "first import (all new)", "same file again (all unchanged)" })
    {
        await using var file = File.OpenRead(csv);
        using var content = new StreamContent(file, 81_920);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        host.Refresh();
        var cpuBefore = host.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync(new Uri("api/v1/import/customers", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();
        host.Refresh();
        // The host's CPU time says what the run cost even on a busy machine, where the wall time is mostly waiting.
        var cpu = host.TotalProcessorTime - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run}: {(int)response.StatusCode} in {clock.Elapsed.TotalSeconds:F1} s = {rows / clock.Elapsed.TotalSeconds:N0} rows/s, {bytes / 1048576.0 / clock.Elapsed.TotalSeconds:F1} MiB/s; host CPU {cpu.TotalSeconds:F1} s; {body}"));
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host peak RSS: {PeakRssMiB(host.Id):N0} MiB (after start-up, empty store: {baseline:N0} MiB)"));
    host.Kill();
    await host.WaitForExitAsync();
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static double PeakRssMiB(int pid) =>
    File.ReadLines($"/proc/{pid}/status").Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(line => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();

static string RunToEnd(string dll, string[] arguments)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(dll);
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"growthbot {string.Join(' ', arguments)} failed: {process.StandardError.ReadToEnd()}");
    return output;
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static string FindRoot()
{
    var folder = new DirectoryInfo(AppContext.BaseDirectory);
    while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) folder = folder.Parent;
    return folder?.FullName ?? throw new InvalidOperationException("GrowthBot.sln not found");
}
