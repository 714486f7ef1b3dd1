using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GrowthBot.Core.Surveys;

/// <summary>What a verified survey button says: the run, the invitation and (for a score) the score.</summary>
public sealed record SurveyPress(string RunId, string InvitationId, int Score);

/// <summary>
/// Makes survey button values tamper-proof: <c>run|invitation|score|mac</c>, where the mac is an
/// HMAC-SHA256 (truncated to 128 bits, base64url) over the action id, run, invitation and score
/// with a key only the host knows. A value edited in the browser, built by hand or moved to
/// another button (a skip value pressed as a score) fails the check, compared in constant time.
/// </summary>
public sealed class SurveyButtonCodec
{
    /// <summary>The score part of buttons that carry none (comment, skip, change).</summary>
    public const int NoScore = -1;

    private const int MacBytes = 16;
    private readonly byte[] _key;

    public SurveyButtonCodec(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16) throw new ArgumentException("The signing key must be at least 16 bytes.", nameof(key));
        _key = key;
    }

    /// <summary>A new random key, as text, for a store that has none yet.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static SurveyButtonCodec FromText(string key) => new(Encoding.UTF8.GetBytes(key));

    public string Sign(string actionId, string runId, string invitationId, int score = NoScore)
    {
        var score_ = score.ToString(CultureInfo.InvariantCulture);
        return $"{runId}|{invitationId}|{score_}|{Mac(actionId, runId, invitationId, score_)}";
    }

    /// <summary>Reads a value pressed on a button with <paramref name="actionId"/>; false for anything not signed by this key for that action.</summary>
    public bool TryRead(string actionId, string? value, out SurveyPress press)
    {
        press = new SurveyPress(string.Empty, string.Empty, NoScore);
        var parts = (value ?? string.Empty).Split('|');
        if (parts.Length != 4 || parts[0].Length is 0 or > 100 || parts[1].Length is 0 or > 150 || parts[2].Length is 0 or > 4) return false;
        var expected = Encoding.ASCII.GetBytes(Mac(actionId, parts[0], parts[1], parts[2]));
        var given = Encoding.ASCII.GetBytes(parts[3]);
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return false;
        if (!int.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var score)) return false;
        press = new SurveyPress(parts[0], parts[1], score);
        return true;
    }

    private string Mac(string actionId, string runId, string invitationId, string score)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{actionId}\n{runId}\n{invitationId}\n{score}"));
        return Convert.ToBase64String(mac, 0, MacBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
