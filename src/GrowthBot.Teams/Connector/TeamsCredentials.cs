using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace GrowthBot.Teams.Connector;

/// <summary>
/// The bot's own credential for its connector token, through Azure.Identity (MSAL underneath), in
/// this order: a user-assigned managed identity (<c>Teams:ManagedIdentityClientId</c>), workload
/// identity federation (<c>Teams:UseWorkloadIdentity</c>, the federated token file from
/// <c>Teams:FederatedTokenFile</c> or <c>AZURE_FEDERATED_TOKEN_FILE</c>), a certificate
/// (<c>Teams:CertificatePath</c> — PFX or PEM with its key — or <c>Teams:CertificateThumbprint</c>
/// in the CurrentUser or LocalMachine "My" store), or the client secret (<c>Teams:AppPassword</c>).
/// The authority is the cloud's login host (or <c>Teams:AuthorityHost</c>) and the tenant the bot's
/// own (or the cloud's Bot Framework tenant for a multi-tenant bot).
/// </summary>
internal static class TeamsCredentials
{
    /// <summary>Which kind of credential the settings ask for, or null when they give none.</summary>
    public static string? KindOf(TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)) return "user-assigned managed identity";
        if (options.UseWorkloadIdentity) return "workload identity federation";
        if (!string.IsNullOrWhiteSpace(options.CertificatePath) || !string.IsNullOrWhiteSpace(options.CertificateThumbprint)) return "certificate";
        if (!string.IsNullOrWhiteSpace(options.AppPassword)) return "client secret";
        return null;
    }

    /// <summary>The credential the settings ask for; <paramref name="transport"/> is the HTTP client it talks through.</summary>
    public static TokenCredential Create(TeamsOptions options, HttpClient transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tenant = string.IsNullOrWhiteSpace(options.TenantId) ? options.CloudSettings.MultiTenantAuthorityTenant : options.TenantId.Trim();
        var authority = new Uri(string.IsNullOrWhiteSpace(options.AuthorityHost) ? options.CloudSettings.LoginHost : options.AuthorityHost.Trim());
        var appId = options.AppId?.Trim() ?? throw new InvalidOperationException("Teams:AppId is not set.");
        T With<T>(T credentialOptions) where T : TokenCredentialOptions
        {
            credentialOptions.AuthorityHost = authority;
            credentialOptions.Transport = new HttpClientTransport(transport);
            // Retries are ours (the connector call fails and is logged); Azure.Identity's own would wait minutes.
            credentialOptions.Retry.MaxRetries = 1;
            return credentialOptions;
        }

        if (!string.IsNullOrWhiteSpace(options.ManagedIdentityClientId))
        {
            return new ManagedIdentityCredential(With(new ManagedIdentityCredentialOptions(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId.Trim()))));
        }
        if (options.UseWorkloadIdentity)
        {
            var file = string.IsNullOrWhiteSpace(options.FederatedTokenFile) ? Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE") : options.FederatedTokenFile.Trim();
            if (string.IsNullOrWhiteSpace(file)) throw new InvalidOperationException("Teams:UseWorkloadIdentity needs the federated token file: set Teams:FederatedTokenFile or AZURE_FEDERATED_TOKEN_FILE.");
            return new WorkloadIdentityCredential(With(new WorkloadIdentityCredentialOptions { TenantId = tenant, ClientId = appId, TokenFilePath = file }));
        }
        if (!string.IsNullOrWhiteSpace(options.CertificatePath) || !string.IsNullOrWhiteSpace(options.CertificateThumbprint))
        {
            return new ClientCertificateCredential(tenant, appId, LoadCertificate(options), With(new ClientCertificateCredentialOptions { SendCertificateChain = options.SendCertificateChain }));
        }
        if (!string.IsNullOrWhiteSpace(options.AppPassword))
        {
            return new ClientSecretCredential(tenant, appId, options.AppPassword, With(new ClientSecretCredentialOptions()));
        }
        throw new InvalidOperationException("Teams has an app id but no credential: set Teams:AppPassword, Teams:CertificatePath or Teams:CertificateThumbprint, Teams:ManagedIdentityClientId, or Teams:UseWorkloadIdentity.");
    }

    /// <summary>The certificate with its private key, from a file (PFX, or PEM with the key) or the certificate store by thumbprint.</summary>
    internal static X509Certificate2 LoadCertificate(TeamsOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            var path = options.CertificatePath.Trim();
            if (!File.Exists(path)) throw new InvalidOperationException($"Teams:CertificatePath {path} does not exist.");
            var certificate = path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
                ? X509Certificate2.CreateFromPemFile(path)
                : X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
            if (!certificate.HasPrivateKey) throw new InvalidOperationException($"Teams:CertificatePath {path} has no private key.");
            return certificate;
        }
        var thumbprint = options.CertificateThumbprint!.Replace(" ", string.Empty, StringComparison.Ordinal).Trim();
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            store.Open(OpenFlags.ReadOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            if (found.Count > 0 && found[0].HasPrivateKey) return found[0];
        }
        throw new InvalidOperationException($"No certificate with a private key and thumbprint {thumbprint} is in the CurrentUser or LocalMachine My store.");
    }
}
