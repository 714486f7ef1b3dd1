using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace GrowthBot.Teams.Tests.Support;

/// <summary>One request the code under test made.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string Body);

/// <summary>
/// An in-process HTTP server stand-in: answers by URL path with the handler registered for it
/// (scripted answers first, in order), and records every request.
/// </summary>
internal sealed class StubHttp : HttpMessageHandler, IHttpClientFactory
{
    private readonly ConcurrentDictionary<string, Func<RecordedRequest, HttpResponseMessage>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<RecordedRequest, HttpResponseMessage>>> _scripted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Waits (on the stub's own signal, not a timer) until <paramref name="count"/> requests match.</summary>
    public async Task WaitForAsync(Func<RecordedRequest, bool> match, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (Requests.Count(match) < count)
        {
            try
            {
                await _arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} matching requests; got {Requests.Count(match)}.");
            }
        }
    }

    public void On(string path, Func<RecordedRequest, HttpResponseMessage> answer) => _routes[path] = answer;

    public void OnJson(string path, Func<string> json) => On(path, _ => Json(HttpStatusCode.OK, json()));

    /// <summary>The next request to <paramref name="path"/> gets this answer instead of the route's.</summary>
    public void Next(string path, Func<RecordedRequest, HttpResponseMessage> answer) => _scripted.GetOrAdd(path, _ => new()).Enqueue(answer);

    public static HttpResponseMessage Json(HttpStatusCode status, string json) => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _arrived.Dispose();
        base.Dispose(disposing);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body);
        _requests.Enqueue(recorded);
        _arrived.Release();
        var path = request.RequestUri!.AbsolutePath;
        if (_scripted.TryGetValue(path, out var queue) && queue.TryDequeue(out var scripted)) return scripted(recorded);
        return _routes.TryGetValue(path, out var answer) ? answer(recorded) : new HttpResponseMessage(HttpStatusCode.NotFound);
    }
}
