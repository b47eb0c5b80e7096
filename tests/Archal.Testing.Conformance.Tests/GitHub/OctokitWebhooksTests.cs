using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Archal.Testing.Hosting;
using Microsoft.Extensions.Primitives;
using Octokit;
using Octokit.Internal;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using Octokit.Webhooks.Events.IssueComment;
using Octokit.Webhooks.Events.Issues;
using Octokit.Webhooks.Events.Label;
using Octokit.Webhooks.Events.PullRequest;

namespace Archal.Testing.Conformance.Tests.GitHub;

/// <summary>
/// A hook made with Octokit.net 14.0.0; the deliveries it receives parsed by Octokit.Webhooks 4.2.3's own
/// <see cref="WebhookEventProcessor"/> (unmodified) into its typed events, and their signatures checked with GitHub's
/// documented algorithm (HMAC-SHA256 of the raw body, https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries).
/// </summary>
[Collection(InProcessCollection.Name)]
public sealed class OctokitWebhooksTests(InProcessHostFixture fixture)
{
    private const string Secret = "It's a Secret to Everybody";

    [Fact]
    public async Task Deliveries_parse_into_Octokit_Webhooks_typed_events_and_verify()
    {
        await using var session = await fixture.Host.StartSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        var processor = new Recorder();
        var receiver = new Receiver(processor);
        session.Events.Route(new Uri("https://app.test/"), receiver);
        var connection = new Connection(new ProductHeaderValue("archal-conformance"), new Uri(session.ApiBaseUrls["github"] + "/"),
            new InMemoryCredentialStore(new Credentials("ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt")),
            new HttpClientAdapter(() => new RouteHeaderHandler(fixture.Host, session)), new SimpleJsonSerializer());
        var github = new GitHubClient(connection);

        var hook = await github.Repository.Hooks.Create("acme", "webapp", new NewRepositoryWebHook("web", new Dictionary<string, string>(), "https://app.test/github")
        {
            Events = ["issues", "issue_comment", "label", "pull_request", "push", "create", "delete", "repository"],
            ContentType = WebHookContentType.Json,
            Secret = Secret,
            Active = true, // Octokit.net's default is an inactive hook, which GitHub never calls.
        }.ToRequest());
        await github.Issue.Labels.Create("acme", "webapp", new NewLabel("needs-triage", "ededed"));
        var issue = await github.Issue.Create("acme", "webapp", new NewIssue("Crash on save") { Body = "Steps…" });
        await github.Issue.Labels.AddToIssue("acme", "webapp", issue.Number, ["needs-triage"]);
        var comment = await github.Issue.Comment.Create("acme", "webapp", issue.Number, "On it");
        await github.Issue.Update("acme", "webapp", issue.Number, new IssueUpdate { State = ItemState.Closed });
        var pulls = await github.PullRequest.GetAllForRepository("acme", "webapp");
        await github.PullRequest.Update("acme", "webapp", pulls[0].Number, new PullRequestUpdate { Title = "Renamed" });
        var main = await github.Git.Reference.Get("acme", "webapp", "heads/main");
        await github.Git.Reference.Create("acme", "webapp", new NewReference("refs/heads/hotfix", main.Object.Sha));
        var file = await github.Repository.Content.CreateFile("acme", "webapp", "HOTFIX.md", new CreateFileRequest("Add hotfix notes", "notes", "hotfix"));
        await github.Git.Reference.Delete("acme", "webapp", "heads/hotfix");
        await github.Repository.Edit("acme", "webapp", new RepositoryUpdate { Description = "Now with webhooks" });
        await session.Events.WhenDeliveredAsync();

        receiver.Failures.Should().BeEmpty();
        session.Events.Deliveries.Should().OnlyContain(d => d.Status == Clones.Abstractions.WebhookDeliveryStatus.Delivered,
            string.Join("\n", session.Events.Deliveries.Select(d => $"{d} {d.Attempts.LastOrDefault()?.Error}")));
        processor.Seen.Should().Equal(
            $"ping {hook.Id}",
            "label created needs-triage",
            $"issues opened #{issue.Number} Crash on save",
            $"issues labeled #{issue.Number} needs-triage",
            $"issue_comment created {comment.Id} on #{issue.Number}",
            $"issues closed #{issue.Number} closed",
            $"pull_request edited #{pulls[0].Number} Renamed",
            "create hotfix branch",
            $"push refs/heads/hotfix created {main.Object.Sha}",
            $"push refs/heads/hotfix 1 commit(s) {file.Commit.Sha} added HOTFIX.md",
            "delete hotfix branch",
            "push refs/heads/hotfix deleted",
            "repository edited The Acme web application → Now with webhooks");
    }

    /// <summary>Checks the signature as GitHub documents it, then hands the delivery to Octokit.Webhooks.</summary>
    private sealed class Receiver(WebhookEventProcessor processor) : HttpMessageHandler
    {
        public ConcurrentQueue<string> Failures { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
            var signature = request.Headers.GetValues("X-Hub-Signature-256").Single();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            {
                Failures.Enqueue($"bad signature {signature}");
                return new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }

            var headers = request.Headers.Concat(request.Content.Headers)
                .ToDictionary(h => h.Key, h => new StringValues([.. h.Value]), StringComparer.OrdinalIgnoreCase);
            await processor.ProcessWebhookAsync(headers, body, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private sealed class Recorder : WebhookEventProcessor
    {
        public ConcurrentQueue<string> Seen { get; } = new();

        protected override ValueTask ProcessPingWebhookAsync(WebhookHeaders headers, PingEvent pingEvent, CancellationToken cancellationToken = default)
        {
            Seen.Enqueue($"ping {pingEvent.HookId}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessIssuesWebhookAsync(WebhookHeaders headers, IssuesEvent issuesEvent, IssuesAction action, CancellationToken cancellationToken = default)
        {
            var detail = issuesEvent switch
            {
                IssuesLabeledEvent labeled => labeled.Label!.Name,
                IssuesClosedEvent closed => closed.Issue.State?.ToString()?.ToLowerInvariant(),
                _ => issuesEvent.Issue.Title,
            };
            Seen.Enqueue($"{headers.Event} {issuesEvent.Action} #{issuesEvent.Issue.Number} {detail}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessIssueCommentWebhookAsync(WebhookHeaders headers, IssueCommentEvent issueCommentEvent, IssueCommentAction action, CancellationToken cancellationToken = default)
        {
            Seen.Enqueue($"{headers.Event} {issueCommentEvent.Action} {issueCommentEvent.Comment.Id} on #{issueCommentEvent.Issue.Number}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessLabelWebhookAsync(WebhookHeaders headers, LabelEvent labelEvent, LabelAction action, CancellationToken cancellationToken = default)
        {
            Seen.Enqueue($"{headers.Event} {labelEvent.Action} {labelEvent.Label.Name}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessPushWebhookAsync(WebhookHeaders headers, PushEvent pushEvent, CancellationToken cancellationToken = default)
        {
            Seen.Enqueue(pushEvent switch
            {
                { Created: true } => $"push {pushEvent.Ref} created {pushEvent.After}",
                { Deleted: true } => $"push {pushEvent.Ref} deleted",
                _ => $"push {pushEvent.Ref} {pushEvent.Commits.Count()} commit(s) {pushEvent.HeadCommit!.Id} added {string.Join(",", pushEvent.HeadCommit.Added)}",
            });
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessRepositoryWebhookAsync(WebhookHeaders headers, RepositoryEvent repositoryEvent, Octokit.Webhooks.Events.Repository.RepositoryAction action, CancellationToken cancellationToken = default)
        {
            var edited = (Octokit.Webhooks.Events.Repository.RepositoryEditedEvent)repositoryEvent;
            Seen.Enqueue($"repository {repositoryEvent.Action} {edited.Changes.Description!.From} → {repositoryEvent.Repository!.Description}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessCreateWebhookAsync(WebhookHeaders headers, CreateEvent createEvent, CancellationToken cancellationToken = default)
        {
            Seen.Enqueue($"create {createEvent.Ref} {createEvent.RefType}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessDeleteWebhookAsync(WebhookHeaders headers, DeleteEvent deleteEvent, CancellationToken cancellationToken = default)
        {
            Seen.Enqueue($"delete {deleteEvent.Ref} {deleteEvent.RefType}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ProcessPullRequestWebhookAsync(WebhookHeaders headers, PullRequestEvent pullRequestEvent, PullRequestAction action, CancellationToken cancellationToken = default)
        {
            Seen.Enqueue($"{headers.Event} {pullRequestEvent.Action} #{pullRequestEvent.Number} {pullRequestEvent.PullRequest.Title}");
            return ValueTask.CompletedTask;
        }
    }
}
