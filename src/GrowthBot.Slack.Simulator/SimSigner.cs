using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace GrowthBot.Slack.Simulator;

/// <summary>What the app answered one delivery with.</summary>
internal sealed record SimDelivery(int Status, string Body, string? Failure);

/// <summary>
/// Sends requests to the app as Slack does: the raw body signed with the signing secret
/// (<c>X-Slack-Signature: v0=</c> hex HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>, with
/// <c>X-Slack-Request-Timestamp</c> in Unix seconds), Slack's user agent, and Slack's time limit:
/// an app that has not answered within it counts as failed (<c>operation_timeout</c>).
/// Written from Slack's documentation, independently of the adapter's own check.
/// </summary>
internal sealed class SimSigner(HttpClient http, string signingSecret, TimeProvider time)
{
    public async Task<SimDelivery> PostAsync(string path, string body, string mediaType, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.TryAddWithoutValidation("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", Signature(timestamp, bytes, signingSecret));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return new SimDelivery((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (HttpRequestException exception)
        {
            return new SimDelivery(0, string.Empty, $"could not reach GrowthBot ({exception.HttpRequestError})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SimDelivery(0, string.Empty, "operation_timeout: GrowthBot did not answer within Slack's 3 seconds");
        }
    }

    /// <summary><c>v0=</c> + lowercase hex HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>.</summary>
    public static string Signature(string timestamp, byte[] body, string signingSecret)
    {
        var basestring = new byte[Encoding.UTF8.GetByteCount($"v0:{timestamp}:") + body.Length];
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:", basestring);
        body.CopyTo(basestring, prefix);
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), basestring));
    }
}
