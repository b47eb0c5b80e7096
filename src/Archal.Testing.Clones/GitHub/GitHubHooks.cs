using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>A repository or organization webhook (<c>/repos/{owner}/{repo}/hooks</c>, <c>/orgs/{org}/hooks</c>).</summary>
internal sealed class GitHubHook
{
    public required long Id { get; init; }

    /// <summary><c>owner/name</c> of a repository hook, or the organization's login.</summary>
    public required string Scope { get; set; }

    public required bool IsOrganization { get; init; }

    public required string Url { get; set; }

    public string ContentType { get; set; } = "json";

    public string InsecureSsl { get; set; } = "0";

    public string? Secret { get; set; }

    public List<string> Events { get; set; } = ["push"];

    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string Key => $"{(IsOrganization ? "org:" : "")}{Scope}/hooks/{Id}";

    /// <summary>The snapshot row: the secret is a credential, so only whether there is one.</summary>
    public static JsonObject Project(GitHubHook hook) => new()
    {
        ["id"] = hook.Id,
        ["type"] = hook.IsOrganization ? "Organization" : "Repository",
        ["scope"] = hook.Scope,
        ["url"] = hook.Url,
        ["content_type"] = hook.ContentType,
        ["events"] = new JsonArray([.. hook.Events.Select(e => (JsonNode)e)]),
        ["active"] = hook.Active,
        ["has_secret"] = hook.Secret is not null,
    };
}

/// <summary>
/// Repository and organization webhooks through GitHub's own REST API (create, list, get, update, delete, ping,
/// deliveries, redeliver) and the deliveries themselves: headers <c>X-GitHub-Event</c>, <c>X-GitHub-Delivery</c>,
/// <c>X-GitHub-Hook-ID</c>, <c>X-Hub-Signature-256</c> (<c>sha256=</c> hex HMAC-SHA256 of the body keyed with the
/// hook's secret) and <c>User-Agent: GitHub-Hookshot/…</c>, as https://docs.github.com/webhooks/webhook-events-and-payloads
/// and https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries describe. GitHub does not retry a
/// failed delivery; it can be redelivered through the API.
/// </summary>
internal static class GitHubHooks
{
    private const string RepoDocs = "https://docs.github.com/rest/repos/webhooks";
    private const string OrgDocs = "https://docs.github.com/rest/orgs/webhooks";

    private static readonly string[] Zen =
    [
        "Responsive is better than fast.", "It's not fully shipped until it's fast.", "Anything added dilutes everything else.",
        "Practicality beats purity.", "Approachable is better than simple.", "Mind your words, they are important.",
        "Speak like a human.", "Half measures are as bad as nothing at all.", "Encourage flow.",
        "Non-blocking is better than blocking.", "Favor focus over features.", "Avoid administrative distraction.",
        "Design for failure.", "Keep it logically awesome.",
    ];

    // ---- REST: repository hooks ----

    public static IResult ListForRepo(HttpContext http, string owner, string repo) =>
        List(http, AdminRepo(http, owner, repo).FullName, organization: false);

    public static Task<IResult> CreateForRepo(HttpContext http, string owner, string repo) =>
        CreateAsync(http, AdminRepo(http, owner, repo).FullName, organization: false);

    public static IResult GetForRepo(HttpContext http, string owner, string repo, string hook_id) =>
        Render(http, Find(http, AdminRepo(http, owner, repo).FullName, false, hook_id));

    public static Task<IResult> UpdateForRepo(HttpContext http, string owner, string repo, string hook_id) =>
        UpdateAsync(http, Find(http, AdminRepo(http, owner, repo).FullName, false, hook_id));

    public static IResult DeleteForRepo(HttpContext http, string owner, string repo, string hook_id) =>
        Delete(http, Find(http, AdminRepo(http, owner, repo).FullName, false, hook_id));

    public static IResult PingForRepo(HttpContext http, string owner, string repo, string hook_id) =>
        Ping(http, Find(http, AdminRepo(http, owner, repo).FullName, false, hook_id));

    public static IResult DeliveriesForRepo(HttpContext http, string owner, string repo, string hook_id) =>
        Deliveries(http, Find(http, AdminRepo(http, owner, repo).FullName, false, hook_id));

    public static IResult DeliveryForRepo(HttpContext http, string owner, string repo, string hook_id, string delivery_id) =>
        Delivery(http, Find(http, AdminRepo(http, owner, repo).FullName, false, hook_id), delivery_id);

    public static IResult RedeliverForRepo(HttpContext http, string owner, string repo, string hook_id, string delivery_id) =>
        Redeliver(http, Find(http, AdminRepo(http, owner, repo).FullName, false, hook_id), delivery_id);

    // ---- REST: organization hooks ----

    public static IResult ListForOrg(HttpContext http, string org) => List(http, AdminOrg(http, org).Login, organization: true);

    public static Task<IResult> CreateForOrg(HttpContext http, string org) => CreateAsync(http, AdminOrg(http, org).Login, organization: true);

    public static IResult GetForOrg(HttpContext http, string org, string hook_id) => Render(http, Find(http, AdminOrg(http, org).Login, true, hook_id));

    public static Task<IResult> UpdateForOrg(HttpContext http, string org, string hook_id) => UpdateAsync(http, Find(http, AdminOrg(http, org).Login, true, hook_id));

    public static IResult DeleteForOrg(HttpContext http, string org, string hook_id) => Delete(http, Find(http, AdminOrg(http, org).Login, true, hook_id));

    public static IResult PingForOrg(HttpContext http, string org, string hook_id) => Ping(http, Find(http, AdminOrg(http, org).Login, true, hook_id));

    public static IResult DeliveriesForOrg(HttpContext http, string org, string hook_id) => Deliveries(http, Find(http, AdminOrg(http, org).Login, true, hook_id));

    public static IResult DeliveryForOrg(HttpContext http, string org, string hook_id, string delivery_id) =>
        Delivery(http, Find(http, AdminOrg(http, org).Login, true, hook_id), delivery_id);

    public static IResult RedeliverForOrg(HttpContext http, string org, string hook_id, string delivery_id) =>
        Redeliver(http, Find(http, AdminOrg(http, org).Login, true, hook_id), delivery_id);

    // ---- the operations ----

    /// <summary>Hooks need admin rights; GitHub answers 404 to anyone else.</summary>
    private static GitHubRepo AdminRepo(HttpContext http, string owner, string name)
    {
        var repo = GitHubRepos.Find(http, owner, name);
        return http.GetCloneState<GitHubState>().CanWrite(http.CurrentUser(), repo) ? repo : throw new GitHubException(GitHubErrors.NotFound($"{RepoDocs}#get-a-repository-webhook"));
    }

    private static GitHubUser AdminOrg(HttpContext http, string org)
    {
        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUser();
        return state.FindUser(org) is { Type: "Organization" } found && found.Members.Contains(user.Login, StringComparer.OrdinalIgnoreCase)
            ? found
            : throw new GitHubException(GitHubErrors.NotFound($"{OrgDocs}#get-an-organization-webhook"));
    }

    private static GitHubHook Find(HttpContext http, string scope, bool organization, string hookId)
    {
        var state = http.GetCloneState<GitHubState>();
        return long.TryParse(hookId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && state.Hooks.Find($"{(organization ? "org:" : "")}{scope}/hooks/{id}") is { } hook
            ? hook
            : throw new GitHubException(GitHubErrors.NotFound(organization ? $"{OrgDocs}#get-an-organization-webhook" : $"{RepoDocs}#get-a-repository-webhook"));
    }

    private static IResult Render(HttpContext http, GitHubHook hook) => new GitHubResult(View(http, hook));

    private static IResult List(HttpContext http, string scope, bool organization)
    {
        var state = http.GetCloneState<GitHubState>();
        var hooks = state.Hooks.Items.Where(h => h.IsOrganization == organization && h.Scope == scope).ToList();
        return new GitHubResult(GitHubQuery.Paginate(http, hooks).Select(h => View(http, h)).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext http, string scope, bool organization)
    {
        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);
        var name = body.String("name");
        var config = body.Object("config");
        var events = body.Strings("events");
        var active = body.Bool("active");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (organization && name is null)
        {
            return GitHubErrors.Validation(GitHubErrors.Missing("Hook", "name"));
        }

        if (name is not null && name != "web")
        {
            return GitHubErrors.Validation(GitHubErrors.Custom("Hook", "name", $"Name {name} is not a valid hook name"));
        }

        if (Config(config, null) is not { Url: { } url } settings)
        {
            return GitHubErrors.Validation(GitHubErrors.Custom("Hook", null, "Config must contain url"));
        }

        if (Invalid(url, settings.ContentType) is { } invalid)
        {
            return invalid;
        }

        var state = http.GetCloneState<GitHubState>();
        var now = state.Time.GetUtcNow();
        var hook = state.Hooks.Add(new GitHubHook
        {
            Id = state.NextId(),
            Scope = scope,
            IsOrganization = organization,
            Url = url,
            ContentType = settings.ContentType ?? "json",
            InsecureSsl = settings.InsecureSsl ?? "0",
            Secret = settings.Secret is { Length: > 0 } secret ? secret : null,
            Events = events is { Count: > 0 } ? [.. events.Distinct()] : ["push"],
            Active = active ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        });

        // GitHub pings a new webhook (an inactive one gets nothing).
        if (hook.Active)
        {
            GitHubWebhooks.Ping(http, hook);
        }

        http.Response.Headers.Location = HookUrl(http, hook);
        return new GitHubResult(View(http, hook), StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, GitHubHook hook)
    {
        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);
        var config = body.Object("config");
        var events = body.Strings("events");
        var add = body.Strings("add_events");
        var remove = body.Strings("remove_events");
        var active = body.Bool("active");
        if (body.Error is not null)
        {
            return body.Error;
        }

        var settings = Config(config, hook);
        if (config is not null && Invalid(settings?.Url, settings?.ContentType) is { } invalid)
        {
            return invalid;
        }

        var state = http.GetCloneState<GitHubState>();
        state.Hooks.Update(hook, h =>
        {
            if (settings is not null)
            {
                h.Url = settings.Url!;
                h.ContentType = settings.ContentType ?? h.ContentType;
                h.InsecureSsl = settings.InsecureSsl ?? h.InsecureSsl;
                h.Secret = settings.Secret is null ? h.Secret : settings.Secret.Length == 0 ? null : settings.Secret;
            }

            if (events is not null)
            {
                h.Events = [.. events.Distinct()];
            }

            if (add is not null)
            {
                h.Events = [.. h.Events.Concat(add).Distinct()];
            }

            if (remove is not null)
            {
                h.Events = [.. h.Events.Except(remove)];
            }

            if (active is { } on)
            {
                h.Active = on;
            }

            h.UpdatedAt = state.Time.GetUtcNow();
        });
        return new GitHubResult(View(http, hook));
    }

    private static IResult Delete(HttpContext http, GitHubHook hook)
    {
        http.GetCloneState<GitHubState>().Hooks.Remove(hook.Key);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    private static IResult Ping(HttpContext http, GitHubHook hook)
    {
        GitHubWebhooks.Ping(http, hook);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    private static IResult Deliveries(HttpContext http, GitHubHook hook)
    {
        var perPage = Math.Clamp(GitHubQuery.Int(http.Request.Query, "per_page") ?? 30, 1, 100);
        var state = http.GetCloneState<GitHubState>();
        var items = state.Webhooks.Deliveries.Where(d => d.Message.Source == hook.Key).Reverse().Take(perPage);
        return new GitHubResult(items.Select(d => DeliveryItem(d, full: false, http)).ToList());
    }

    private static IResult Delivery(HttpContext http, GitHubHook hook, string deliveryId)
    {
        var delivery = FindDelivery(http, hook, deliveryId);
        return new GitHubResult(DeliveryItem(delivery, full: true, http));
    }

    private static IResult Redeliver(HttpContext http, GitHubHook hook, string deliveryId)
    {
        var delivery = FindDelivery(http, hook, deliveryId);
        http.GetCloneState<GitHubState>().Webhooks.Send(GitHubWebhooks.Again(delivery.Message));
        return new GitHubResult(new Dictionary<string, object?>(), StatusCodes.Status202Accepted);
    }

    private static WebhookDelivery FindDelivery(HttpContext http, GitHubHook hook, string deliveryId) =>
        long.TryParse(deliveryId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
        && http.GetCloneState<GitHubState>().Webhooks.Deliveries.FirstOrDefault(d => d.Sequence == id && d.Message.Source == hook.Key) is { } found
            ? found
            : throw new GitHubException(GitHubErrors.NotFound(hook.IsOrganization ? $"{OrgDocs}#get-a-webhook-delivery-for-an-organization-webhook" : $"{RepoDocs}#get-a-delivery-for-a-repository-webhook"));

    private sealed record HookConfig(string? Url, string? ContentType, string? Secret, string? InsecureSsl);

    private static HookConfig? Config(JsonObject? config, GitHubHook? current)
    {
        if (config is null)
        {
            return null;
        }

        static string? Text(JsonObject config, string name) => config[name] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonValue value when value.TryGetValue<long>(out var number) => number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };

        // insecure_ssl is "0" or "1"; clients send it as a string, a number or a boolean.
        var insecure = config["insecure_ssl"] is JsonValue flag && flag.TryGetValue<bool>(out var on) ? (on ? "1" : "0")
            : Text(config, "insecure_ssl")?.ToLowerInvariant() switch { null => null, "1" or "true" => "1", _ => "0" };
        return new HookConfig(Text(config, "url") ?? current?.Url, Text(config, "content_type"), Text(config, "secret"), insecure);
    }

    private static IResult? Invalid(string? url, string? contentType)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return GitHubErrors.Validation(GitHubErrors.Custom("Hook", null, url is null ? "Config must contain url" : $"Url is not supported because it isn't reachable over the public Internet ({url})"));
        }

        return contentType is null or "json" or "form"
            ? null
            : GitHubErrors.Validation(GitHubErrors.Custom("Hook", null, $"Content type {contentType} is not a valid content type"));
    }

    internal static string HookUrl(HttpContext http, GitHubHook hook) =>
        HookUrl(GitHubUrls.From(http), hook);

    internal static string HookUrl(GitHubUrls urls, GitHubHook hook) =>
        hook.IsOrganization ? $"{urls.Api}/orgs/{hook.Scope}/hooks/{hook.Id}" : $"{urls.Api}/repos/{hook.Scope}/hooks/{hook.Id}";

    /// <summary>GitHub's <c>hook</c> object (secret masked), with <c>last_response</c> from its latest delivery.</summary>
    internal static Dictionary<string, object?> View(HttpContext http, GitHubHook hook) =>
        View(GitHubUrls.From(http), http.GetCloneState<GitHubState>(), hook);

    internal static Dictionary<string, object?> View(GitHubUrls urls, GitHubState state, GitHubHook hook)
    {
        var url = HookUrl(urls, hook);
        var config = new Dictionary<string, object?> { ["content_type"] = hook.ContentType, ["insecure_ssl"] = hook.InsecureSsl, ["url"] = hook.Url };
        if (hook.Secret is not null)
        {
            config["secret"] = "********";
        }

        var last = state.Webhooks.Deliveries.LastOrDefault(d => d.Message.Source == hook.Key && d.Attempts.Count > 0);
        var view = new Dictionary<string, object?>
        {
            ["type"] = hook.IsOrganization ? "Organization" : "Repository",
            ["id"] = hook.Id,
            ["name"] = "web",
            ["active"] = hook.Active,
            ["events"] = hook.Events,
            ["config"] = config,
            ["updated_at"] = GitHubViews.Timestamp(hook.UpdatedAt),
            ["created_at"] = GitHubViews.Timestamp(hook.CreatedAt),
            ["url"] = url,
        };
        if (!hook.IsOrganization)
        {
            view["test_url"] = $"{url}/test";
        }

        view["ping_url"] = $"{url}/pings";
        view["deliveries_url"] = $"{url}/deliveries";
        view["last_response"] = last is null
            ? new Dictionary<string, object?> { ["code"] = null, ["status"] = "unused", ["message"] = null }
            : new Dictionary<string, object?>
            {
                ["code"] = last.LastStatus,
                ["status"] = last.Status == WebhookDeliveryStatus.Delivered ? "active" : "misconfigured",
                ["message"] = StatusText(last),
            };
        return view;
    }

    private static string StatusText(WebhookDelivery delivery)
    {
        if (delivery.Attempts.Count == 0)
        {
            return "pending";
        }

        var attempt = delivery.Attempts[^1];
        return attempt.Failure switch
        {
            WebhookFailure.None => "OK",
            WebhookFailure.HttpError => $"Invalid HTTP Response: {attempt.Status}",
            WebhookFailure.Timeout => "timed out",
            WebhookFailure.ConnectionFailed => "failed to connect to host",
            _ => attempt.Error ?? "failed",
        };
    }

    /// <summary>GitHub's <c>hook-delivery-item</c> (and, <paramref name="full"/>, <c>hook-delivery</c> with request and response).</summary>
    private static Dictionary<string, object?> DeliveryItem(WebhookDelivery delivery, bool full, HttpContext http)
    {
        var first = delivery.Attempts.Count > 0 ? delivery.Attempts[0] : null;
        var last = delivery.Attempts.Count > 0 ? delivery.Attempts[^1] : null;
        var state = http.GetCloneState<GitHubState>();
        var body = Encoding.UTF8.GetString(delivery.Message.Body.Span);
        var json = delivery.Message.ContentType == "application/json" ? body : Uri.UnescapeDataString(body["payload=".Length..].Replace('+', ' '));
        var payload = JsonNode.Parse(json);
        var item = new Dictionary<string, object?>
        {
            ["id"] = delivery.Sequence,
            ["guid"] = delivery.Message.EventId,
            ["delivered_at"] = GitHubViews.Timestamp(first?.StartedAt ?? state.Time.GetUtcNow()),
            ["redelivery"] = delivery.Message.Redelivery,
            ["duration"] = last?.Duration.TotalSeconds ?? 0,
            ["status"] = StatusText(delivery),
            ["status_code"] = last?.Status ?? 0,
            ["event"] = delivery.EventType,
            ["action"] = delivery.Message.Action,
            ["installation_id"] = null,
            ["repository_id"] = payload?["repository"]?["id"]?.GetValue<long>(),
            ["throttled_at"] = null,
        };
        if (full)
        {
            item["url"] = delivery.Url.AbsoluteUri;
            item["request"] = new Dictionary<string, object?>
            {
                ["headers"] = last?.RequestHeaders ?? new Dictionary<string, string>(),
                ["payload"] = payload,
            };
            item["response"] = new Dictionary<string, object?>
            {
                ["headers"] = last?.ResponseHeaders ?? new Dictionary<string, string>(),
                ["payload"] = last?.ResponseBody,
            };
        }

        return item;
    }

    internal static string ZenFor(GitHubState state) => Zen[state.Random.Next(0, Zen.Length)];
}

/// <summary>What GitHub sends to webhooks when state changes (payload shapes from https://docs.github.com/webhooks/webhook-events-and-payloads).</summary>
internal static class GitHubWebhooks
{
    private static readonly JsonSerializerOptions Json = CloneJson.SnakeCase;

    /// <summary>The <c>ping</c> GitHub sends when a hook is created or pinged (to that hook only, whatever its events).</summary>
    public static void Ping(HttpContext http, GitHubHook hook)
    {
        var state = http.GetCloneState<GitHubState>();
        var views = Views(http);
        var payload = new Dictionary<string, object?>
        {
            ["zen"] = GitHubHooks.ZenFor(state),
            ["hook_id"] = hook.Id,
            ["hook"] = GitHubHooks.View(views.Urls, state, hook),
        };
        GitHubRepo? repo = null;
        if (!hook.IsOrganization)
        {
            repo = state.Repos.Find(hook.Scope);
        }

        Send(http, [hook], "ping", null, payload, repo, hook.IsOrganization ? hook.Scope : null);
    }

    /// <summary>An event about <paramref name="repo"/> to every active hook on it or its organization that listens to <paramref name="eventName"/>.</summary>
    public static void Repository(HttpContext http, GitHubRepo repo, string eventName, string? action, Func<GitHubViews, Dictionary<string, object?>> fill)
    {
        var state = http.GetCloneState<GitHubState>();
        var organization = state.Users.Find(repo.Owner) is { Type: "Organization" } ? repo.Owner : null;
        var hooks = state.Hooks.Items.Where(h => h.Active
            && (h.IsOrganization ? h.Scope == organization : h.Scope == repo.FullName)
            && (h.Events.Contains("*") || h.Events.Contains(eventName))).ToList();
        if (hooks.Count == 0)
        {
            return;
        }

        var payload = new Dictionary<string, object?>();
        if (action is not null)
        {
            payload["action"] = action;
        }

        foreach (var (name, value) in fill(Views(http)))
        {
            payload[name] = value;
        }

        Send(http, hooks, eventName, action, payload, repo, organization);
    }

    private static GitHubViews Views(HttpContext http) => new(http.GetCloneState<GitHubState>(), GitHubUrls.From(http), null);

    private static void Send(HttpContext http, IReadOnlyList<GitHubHook> hooks, string eventName, string? action, Dictionary<string, object?> payload,
        GitHubRepo? repo, string? organization)
    {
        var state = http.GetCloneState<GitHubState>();
        var views = Views(http);
        if (repo is not null)
        {
            var repository = Repository(views, repo);
            if (eventName == "push")
            {
                // GitHub's push payload alone gives the repository's created_at and pushed_at as Unix seconds.
                repository["created_at"] = repo.CreatedAt.ToUnixTimeSeconds();
                repository["pushed_at"] = repo.PushedAt.ToUnixTimeSeconds();
            }

            payload["repository"] = repository;
        }

        if (organization is not null && state.Users.Find(organization) is { } org)
        {
            payload["organization"] = Organization(views.Urls, org);
        }

        payload["sender"] = views.User(http.CurrentUser().Login);
        var json = JsonSerializer.SerializeToUtf8Bytes(payload, Json);
        foreach (var hook in hooks)
        {
            var guid = Guid(state);
            var body = hook.ContentType == "form" ? Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(Encoding.UTF8.GetString(json))) : json;
            var secret = hook.Secret is null ? null : Encoding.UTF8.GetBytes(hook.Secret);
            var targetType = hook.IsOrganization ? "organization" : "repository";
            var targetId = (hook.IsOrganization ? state.Users.Find(hook.Scope)?.Id : repo?.Id)?.ToString(CultureInfo.InvariantCulture) ?? "";
            var hookId = hook.Id.ToString(CultureInfo.InvariantCulture);
            var agent = "GitHub-Hookshot/" + state.Random.NextHex(7);
            List<KeyValuePair<string, string>> headers =
            [
                new("Accept", "*/*"),
                new("User-Agent", agent),
                new("X-GitHub-Delivery", guid),
                new("X-GitHub-Event", eventName),
                new("X-GitHub-Hook-ID", hookId),
                new("X-GitHub-Hook-Installation-Target-ID", targetId),
                new("X-GitHub-Hook-Installation-Target-Type", targetType),
            ];
            if (secret is not null)
            {
                headers.Add(new("X-Hub-Signature", "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(secret, body))));
                headers.Add(new("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body))));
            }

            state.Webhooks.Send(new WebhookMessage
            {
                CloneId = "github",
                EventType = eventName,
                Action = action,
                EventId = guid,
                Source = hook.Key,
                Url = new Uri(hook.Url),
                Body = body,
                ContentType = hook.ContentType == "form" ? "application/x-www-form-urlencoded" : "application/json",
                Headers = _ => headers,
                Timeout = TimeSpan.FromSeconds(10),
            });
        }
    }

    /// <summary>The same delivery again (GitHub's redeliver keeps the GUID, the body and the signature).</summary>
    public static WebhookMessage Again(WebhookMessage message) => new()
    {
        CloneId = message.CloneId,
        EventType = message.EventType,
        Action = message.Action,
        EventId = message.EventId,
        Source = message.Source,
        Url = message.Url,
        Body = message.Body,
        ContentType = message.ContentType,
        Headers = message.Headers,
        RetryDelays = message.RetryDelays,
        Timeout = message.Timeout,
        Redelivery = true,
    };

    private static string Guid(GitHubState state)
    {
        var hex = state.Random.NextHex(32);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>
    /// The <c>repository</c> of a webhook payload: the REST repository, except that webhooks name the organization
    /// by login and carry no viewer-specific fields.
    /// </summary>
    private static Dictionary<string, object?> Repository(GitHubViews views, GitHubRepo repo)
    {
        var view = new Dictionary<string, object?>(views.Repo(repo));
        if (view.GetValueOrDefault("organization") is Dictionary<string, object?> org)
        {
            view["organization"] = org["login"];
        }

        view.Remove("permissions");
        view.Remove("temp_clone_token");
        return view;
    }

    /// <summary>The REST pull request with its head and base repositories in the webhook shape.</summary>
    private static Dictionary<string, object?> PullRequest(GitHubViews views, GitHubIssue issue, GitHubPullRequest pull, bool full)
    {
        var view = new Dictionary<string, object?>(views.PullRequest(issue, pull, full));
        foreach (var side in new[] { "head", "base" })
        {
            if (view.GetValueOrDefault(side) is Dictionary<string, object?> branch && branch.GetValueOrDefault("repo") is not null
                && views.State.FindRepo(pull.Repo.Split('/')[0], pull.Repo.Split('/')[1]) is { } repo)
            {
                view[side] = new Dictionary<string, object?>(branch) { ["repo"] = Repository(views, repo) };
            }
        }

        return view;
    }

    private static Dictionary<string, object?> Organization(GitHubUrls urls, GitHubUser org)
    {
        var url = $"{urls.Api}/orgs/{org.Login}";
        return new()
        {
            ["login"] = org.Login,
            ["id"] = org.Id,
            ["node_id"] = GitHubViews.NodeId("012:Organization", org.Id),
            ["url"] = url,
            ["repos_url"] = $"{url}/repos",
            ["events_url"] = $"{url}/events",
            ["hooks_url"] = $"{url}/hooks",
            ["issues_url"] = $"{url}/issues",
            ["members_url"] = $"{url}/members{{/member}}",
            ["public_members_url"] = $"{url}/public_members{{/member}}",
            ["avatar_url"] = $"https://avatars.githubusercontent.com/u/{org.Id}?v=4",
            ["description"] = org.Bio,
        };
    }

    // ---- repository ----

    /// <summary>What a repository looked like before an update.</summary>
    internal sealed record RepoBefore(string Name, string? Description, string? Homepage, string DefaultBranch, bool Private, bool Archived);

    public static RepoBefore Before(GitHubRepo repo) => new(repo.Name, repo.Description, repo.Homepage, repo.DefaultBranch, repo.Private, repo.Archived);

    /// <summary>The <c>repository</c> events an update makes GitHub send: renamed, archived/unarchived, privatized/publicized, edited.</summary>
    public static void RepositoryChanged(HttpContext http, GitHubRepo repo, RepoBefore before)
    {
        if (before.Name != repo.Name)
        {
            Repository(http, repo, "repository", "renamed", _ => new Dictionary<string, object?>
            {
                ["changes"] = new Dictionary<string, object?> { ["repository"] = new Dictionary<string, object?> { ["name"] = new Dictionary<string, object?> { ["from"] = before.Name } } },
            });
        }

        if (before.Archived != repo.Archived)
        {
            Repository(http, repo, "repository", repo.Archived ? "archived" : "unarchived", _ => new Dictionary<string, object?>());
        }

        if (before.Private != repo.Private)
        {
            Repository(http, repo, "repository", repo.Private ? "privatized" : "publicized", _ => new Dictionary<string, object?>());
        }

        var changes = new Dictionary<string, object?>();
        if (before.Description != repo.Description) changes["description"] = new Dictionary<string, object?> { ["from"] = before.Description };
        if (before.Homepage != repo.Homepage) changes["homepage"] = new Dictionary<string, object?> { ["from"] = before.Homepage };
        if (before.DefaultBranch != repo.DefaultBranch) changes["default_branch"] = new Dictionary<string, object?> { ["from"] = before.DefaultBranch };
        if (changes.Count > 0)
        {
            Repository(http, repo, "repository", "edited", _ => new Dictionary<string, object?> { ["changes"] = changes });
        }
    }

    // ---- git: push, create, delete ----

    private const string NoSha = "0000000000000000000000000000000000000000";

    /// <summary>
    /// A branch moved to <paramref name="commit"/> (or was created at it): <c>create</c> for a new branch, then
    /// <c>push</c> with the commits between the old and the new head (at most 20, as GitHub lists them).
    /// </summary>
    public static void Pushed(HttpContext http, GitHubRepo repo, string branch, string? before, GitHubCommit commit)
    {
        var state = http.GetCloneState<GitHubState>();
        if (!state.Hooks.Items.Any(h => h.Active))
        {
            return;
        }

        if (before is null)
        {
            Repository(http, repo, "create", null, _ => new Dictionary<string, object?>
            {
                ["ref"] = branch,
                ["ref_type"] = "branch",
                ["master_branch"] = repo.DefaultBranch,
                ["description"] = repo.Description,
                ["pusher_type"] = "user",
            });
        }

        // The commits after the old head (a new branch lists its head commit only); not reaching it means a force push.
        var commits = new List<GitHubCommit>();
        var forced = before is not null;
        for (var current = commit; current is not null && commits.Count < 20; current = current.Parents.Count > 0 ? state.FindCommit(repo, current.Parents[0]) : null)
        {
            if (current.Sha == before)
            {
                forced = false;
                break;
            }

            commits.Insert(0, current);
            if (before is null)
            {
                break;
            }
        }

        var user = http.CurrentUser();
        Repository(http, repo, "push", null, views =>
        {
            var html = $"{views.Urls.Html}/{repo.FullName}";
            return new Dictionary<string, object?>
            {
                ["ref"] = $"refs/heads/{branch}",
                ["before"] = before ?? NoSha,
                ["after"] = commit.Sha,
                ["pusher"] = new Dictionary<string, object?> { ["name"] = user.Login, ["email"] = user.Email ?? $"{user.Id}+{user.Login}@users.noreply.github.com" },
                ["created"] = before is null,
                ["deleted"] = false,
                ["forced"] = forced,
                ["base_ref"] = null,
                ["compare"] = before is null ? $"{html}/commit/{commit.Sha[..12]}" : $"{html}/compare/{before[..12]}...{commit.Sha[..12]}",
                ["commits"] = commits.Select(c => PushCommit(views, repo, c)).ToList(),
                ["head_commit"] = PushCommit(views, repo, commit),
            };
        });
    }

    /// <summary>A branch was deleted: <c>delete</c>, then a <c>push</c> with <c>deleted: true</c>.</summary>
    public static void BranchDeleted(HttpContext http, GitHubRepo repo, string branch, string sha)
    {
        var state = http.GetCloneState<GitHubState>();
        if (!state.Hooks.Items.Any(h => h.Active))
        {
            return;
        }

        Repository(http, repo, "delete", null, _ => new Dictionary<string, object?>
        {
            ["ref"] = branch,
            ["ref_type"] = "branch",
            ["pusher_type"] = "user",
        });
        var user = http.CurrentUser();
        Repository(http, repo, "push", null, views => new Dictionary<string, object?>
        {
            ["ref"] = $"refs/heads/{branch}",
            ["before"] = sha,
            ["after"] = NoSha,
            ["pusher"] = new Dictionary<string, object?> { ["name"] = user.Login, ["email"] = user.Email ?? $"{user.Id}+{user.Login}@users.noreply.github.com" },
            ["created"] = false,
            ["deleted"] = true,
            ["forced"] = false,
            ["base_ref"] = null,
            ["compare"] = $"{views.Urls.Html}/{repo.FullName}/compare/{sha[..12]}...000000000000",
            ["commits"] = new List<object>(),
            ["head_commit"] = null,
        });
    }

    private static Dictionary<string, object?> PushCommit(GitHubViews views, GitHubRepo repo, GitHubCommit commit)
    {
        var state = views.State;
        var parent = commit.Parents.Count > 0 ? state.FindCommit(repo, commit.Parents[0]) : null;
        var before = parent?.Tree ?? new SortedDictionary<string, string>(StringComparer.Ordinal);
        var person = new Dictionary<string, object?> { ["name"] = commit.AuthorName, ["email"] = commit.AuthorEmail, ["username"] = commit.Author };
        return new()
        {
            ["id"] = commit.Sha,
            ["tree_id"] = commit.TreeSha,
            ["distinct"] = true,
            ["message"] = commit.Message,
            ["timestamp"] = commit.Date.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal),
            ["url"] = $"{views.Urls.Html}/{repo.FullName}/commit/{commit.Sha}",
            ["author"] = person,
            ["committer"] = person,
            ["added"] = commit.Tree.Keys.Where(p => !before.ContainsKey(p)).ToList(),
            ["removed"] = before.Keys.Where(p => !commit.Tree.ContainsKey(p)).ToList(),
            ["modified"] = commit.Tree.Where(p => before.TryGetValue(p.Key, out var old) && old != p.Value).Select(p => p.Key).ToList(),
        };
    }

    // ---- issues and pull requests: one event per change, as GitHub sends them ----

    /// <summary>What an issue looked like before a handler changed it.</summary>
    internal sealed record IssueBefore(string Title, string? Body, string State, List<string> Labels, List<string> Assignees, bool Locked);

    public static IssueBefore Before(GitHubIssue issue) =>
        new(issue.Title, issue.Body, issue.State, [.. issue.Labels], [.. issue.Assignees], issue.Locked);

    /// <summary>The <c>issues</c> (or <c>pull_request</c>) <c>opened</c> event.</summary>
    public static void Opened(HttpContext http, GitHubRepo repo, GitHubIssue issue) => Issue(http, repo, issue, "opened", null);

    /// <summary>Every event a change of <paramref name="issue"/> since <paramref name="before"/> makes GitHub send, in GitHub's order.</summary>
    public static void Changed(HttpContext http, GitHubRepo repo, GitHubIssue issue, IssueBefore before)
    {
        var changes = new Dictionary<string, object?>();
        if (before.Title != issue.Title)
        {
            changes["title"] = new Dictionary<string, object?> { ["from"] = before.Title };
        }

        if (before.Body != issue.Body)
        {
            changes["body"] = new Dictionary<string, object?> { ["from"] = before.Body };
        }

        if (changes.Count > 0)
        {
            Issue(http, repo, issue, "edited", p => p["changes"] = changes);
        }

        if (before.State != issue.State)
        {
            Issue(http, repo, issue, issue.State == "closed" ? "closed" : "reopened", null);
        }

        foreach (var login in issue.Assignees.Except(before.Assignees))
        {
            Issue(http, repo, issue, "assigned", p => p["assignee"] = Views(http).User(login));
        }

        foreach (var login in before.Assignees.Except(issue.Assignees))
        {
            Issue(http, repo, issue, "unassigned", p => p["assignee"] = Views(http).User(login));
        }

        var state = http.GetCloneState<GitHubState>();
        foreach (var name in issue.Labels.Except(before.Labels, StringComparer.OrdinalIgnoreCase))
        {
            Issue(http, repo, issue, "labeled", p => p["label"] = state.FindLabel(repo, name) is { } label ? Views(http).Label(label) : null);
        }

        foreach (var name in before.Labels.Except(issue.Labels, StringComparer.OrdinalIgnoreCase))
        {
            Issue(http, repo, issue, "unlabeled", p => p["label"] = state.FindLabel(repo, name) is { } label ? Views(http).Label(label) : new Dictionary<string, object?> { ["name"] = name });
        }

        if (before.Locked != issue.Locked)
        {
            Issue(http, repo, issue, issue.Locked ? "locked" : "unlocked", null);
        }
    }

    /// <summary>An <c>issues</c> event, or a <c>pull_request</c> event when the issue is a pull request.</summary>
    public static void Issue(HttpContext http, GitHubRepo repo, GitHubIssue issue, string action, Action<Dictionary<string, object?>>? extra)
    {
        var state = http.GetCloneState<GitHubState>();
        if (issue.IsPullRequest && state.FindPull(repo, issue.Number) is { } pull)
        {
            Repository(http, repo, "pull_request", action, views =>
            {
                var payload = new Dictionary<string, object?> { ["number"] = issue.Number, ["pull_request"] = PullRequest(views, issue, pull, full: true) };
                extra?.Invoke(payload);
                return payload;
            });
            return;
        }

        Repository(http, repo, "issues", action, views =>
        {
            var payload = new Dictionary<string, object?> { ["issue"] = views.Issue(issue) };
            extra?.Invoke(payload);
            return payload;
        });
    }

    /// <summary>An <c>issue_comment</c> event (on an issue or a pull request).</summary>
    public static void Comment(HttpContext http, GitHubRepo repo, GitHubComment comment, string action, string? previousBody = null)
    {
        var state = http.GetCloneState<GitHubState>();
        if (state.FindIssue(repo, comment.IssueNumber) is not { } issue)
        {
            return;
        }

        Repository(http, repo, "issue_comment", action, views =>
        {
            var payload = new Dictionary<string, object?>();
            if (previousBody is not null)
            {
                payload["changes"] = new Dictionary<string, object?> { ["body"] = new Dictionary<string, object?> { ["from"] = previousBody } };
            }

            payload["issue"] = views.Issue(issue);
            payload["comment"] = views.Comment(comment);
            return payload;
        });
    }

    /// <summary>A <c>label</c> event (created, edited, deleted).</summary>
    public static void Label(HttpContext http, GitHubRepo repo, GitHubLabel label, string action, Dictionary<string, object?>? changes = null) =>
        Repository(http, repo, "label", action, views =>
        {
            var payload = new Dictionary<string, object?> { ["label"] = views.Label(label) };
            if (changes is { Count: > 0 })
            {
                payload["changes"] = changes;
            }

            return payload;
        });

    /// <summary>A <c>pull_request_review</c> event.</summary>
    public static void Review(HttpContext http, GitHubRepo repo, GitHubIssue issue, GitHubPullRequest pull, GitHubReview review, string action) =>
        Repository(http, repo, "pull_request_review", action, views => new Dictionary<string, object?>
        {
            ["review"] = views.Review(review),
            ["pull_request"] = PullRequest(views, issue, pull, full: false),
        });
}
