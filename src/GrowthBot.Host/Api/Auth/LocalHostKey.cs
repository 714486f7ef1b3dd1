using System.Security.Cryptography;
using System.Text;

namespace GrowthBot.Host.Api.Auth;

/// <summary>
/// The running host's own key, for the command line on the same machine: made at random when the
/// host starts, never stored in the database, written with the host's address to
/// <c>{store}.host</c> (readable by its owner only, see <see cref="HostFile"/>) and accepted only
/// from loopback. So <c>growthbot import</c> run beside a host on the same store can hand it the
/// file, with the same trust as opening the store file itself.
/// </summary>
internal sealed class LocalHostKey
{
    public const string KeyId = "host";
    public const string KeyName = "command line on this machine";

    private readonly byte[] _hash;

    public LocalHostKey()
    {
        Key = "gb_host_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(Key));
    }

    /// <summary>The key's text, only ever written to the host file.</summary>
    public string Key { get; }

    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _hash);
}
