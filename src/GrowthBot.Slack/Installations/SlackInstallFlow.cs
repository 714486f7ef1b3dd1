using System.Text.Encodings.Web;
using GrowthBot.Slack.WebApi;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack.Installations;

/// <summary>
/// "Add to Slack", as Slack documents installing with OAuth v2. <c>GET /slack/install</c> sends the
/// browser to Slack's authorize page with the app's client id, the manifest's bot scopes, the
/// redirect URL and a fresh <see cref="SlackInstallState"/> (its nonce also in a cookie).
/// <c>GET /slack/oauth_redirect</c> checks the state, exchanges the code at <c>oauth.v2.access</c>,
/// keeps the installation (token encrypted) and shows a page saying what happened: never a stack
/// trace, never a token or code.
/// </summary>
public sealed partial class SlackInstallFlow(
    SlackInstallations installations,
    SlackWebApiClient client,
    IDataProtectionProvider protection,
    GrowthBot.Core.Installations.IUsedNonceStore usedNonces,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackInstallFlow> logger)
{
    private readonly SlackInstallState _state = new(protection, usedNonces, time);

    internal IResult Start(HttpContext context)
    {
        var settings = options.Value;
        if (!settings.UsesInstallFlow)
        {
            return Page(StatusCodes.Status503ServiceUnavailable, "Installing from a link is not set up",
                "This GrowthBot has no Slack app credentials for installing: its admin sets Slack__ClientId and Slack__ClientSecret (see docs/slack.md).");
        }
        var (state, nonce) = _state.Issue(settings.InstallStateLifetime);
        context.Response.Cookies.Append(SlackInstallState.CookieName, nonce, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax, // sent on Slack's top-level redirect back, not on cross-site subrequests
            Path = "/slack",
            MaxAge = settings.InstallStateLifetime,
        });
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = settings.ClientId,
            ["scope"] = settings.Scopes,
            ["user_scope"] = string.Empty,
            ["state"] = state,
        };
        // Without a redirect URL Slack uses the app's first configured one (and oauth.v2.access must then not name one either).
        if (!string.IsNullOrWhiteSpace(settings.RedirectUrl)) query["redirect_uri"] = settings.RedirectUrl;
        return Results.Redirect(QueryHelpers.AddQueryString(settings.AuthorizeUrl, query));
    }

    internal async Task<IResult> FinishAsync(HttpContext context)
    {
        var settings = options.Value;
        if (!settings.UsesInstallFlow)
        {
            return Page(StatusCodes.Status503ServiceUnavailable, "Installing from a link is not set up",
                "This GrowthBot has no Slack app credentials for installing: its admin sets Slack__ClientId and Slack__ClientSecret (see docs/slack.md).");
        }
        var query = context.Request.Query;
        var check = _state.Consume(query["state"].ToString(), context.Request.Cookies[SlackInstallState.CookieName]);
        context.Response.Cookies.Delete(SlackInstallState.CookieName, new CookieOptions { Path = "/slack" });
        var error = query["error"].ToString();
        if (error.Length > 0)
        {
            LogDenied(error);
            return error == "access_denied"
                ? Page(StatusCodes.Status200OK, "GrowthBot was not installed", "You cancelled the install on Slack's page; nothing was changed. You can start again at any time.", retry: true)
                : Page(StatusCodes.Status400BadRequest, "GrowthBot was not installed", $"Slack ended the install with \"{error}\". Nothing was changed.", retry: true);
        }
        if (check != InstallStateCheck.Valid)
        {
            LogStateRefused(check);
            return Page(StatusCodes.Status400BadRequest, "This install link can't be used", check switch
            {
                InstallStateCheck.Expired => "The install took too long and its link expired.",
                InstallStateCheck.AlreadyUsed => "This install link was already used.",
                InstallStateCheck.OtherBrowser => "The install was started in another browser (or its cookie was blocked).",
                _ => "The link is missing its state or it was altered.",
            } + " Nothing was changed; start the install again.", retry: true);
        }
        var code = query["code"].ToString();
        if (code.Length == 0) return Page(StatusCodes.Status400BadRequest, "GrowthBot was not installed", "Slack's answer had no code. Nothing was changed; start the install again.", retry: true);

        SlackOAuthAccess access;
        try
        {
            access = await client.OAuthV2AccessAsync(settings.ClientId!, settings.ClientSecret!, code, settings.RedirectUrl ?? string.Empty, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SlackApiException exception)
        {
            LogExchangeFailed(exception.Error, SlackApiException.Describe(exception.Error));
            return SlackApiException.IsTransient(exception.Error) || exception.Error.StartsWith("http_", StringComparison.Ordinal) || exception.Error is SlackApiException.Timeout
                ? Page(StatusCodes.Status502BadGateway, "GrowthBot was not installed", "Slack did not answer in time. Nothing was installed; please start the install again in a minute.", retry: true)
                : Page(StatusCodes.Status400BadRequest, "GrowthBot was not installed", exception.Error switch
                {
                    "invalid_code" or "code_already_used" => "Slack did not accept the install code (it expires after a few minutes and works once). Start the install again.",
                    "bad_redirect_uri" => "The app's redirect URL does not match this GrowthBot's. Its admin checks Slack__RedirectUrl against the app's OAuth settings.",
                    "bad_client_secret" or "invalid_client_id" => "This GrowthBot's Slack app credentials are wrong. Its admin checks Slack__ClientId and Slack__ClientSecret.",
                    _ => $"Slack refused the install ({exception.Error}). Nothing was installed.",
                }, retry: true);
        }
        var installation = installations.Save(access, time.GetUtcNow());
        var where = installation.IsEnterpriseInstall
            ? $"every workspace of {installation.EnterpriseName ?? installation.EnterpriseId} (org-wide)"
            : installation.TeamName ?? installation.TeamId ?? "your workspace";
        return Page(StatusCodes.Status200OK, "GrowthBot is installed",
            $"GrowthBot is installed in {where}. Invite it to a channel with /invite @GrowthBot, or send it a direct message, and ask \"what's our churn this month?\".");
    }

    private static IResult Page(int status, string title, string text, bool retry = false)
    {
        var encoder = HtmlEncoder.Default;
        var again = retry ? "<p><a href=\"/slack/install\">Start the install again</a></p>" : string.Empty;
        var html = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{encoder.Encode(title)}</title></head>" +
                   $"<body><h1>{encoder.Encode(title)}</h1><p>{encoder.Encode(text)}</p>{again}</body></html>";
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack install: Slack sent the browser back with error {Error}")]
    private partial void LogDenied(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack install: refused a redirect whose state is {Check}")]
    private partial void LogStateRefused(InstallStateCheck check);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack install: oauth.v2.access failed with {Error} ({Meaning})")]
    private partial void LogExchangeFailed(string error, string meaning);
}
