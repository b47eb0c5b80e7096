using System.Reflection;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Clones.GitHub;
using Archal.Testing.Clones.Slack;
using Archal.Testing.Clones.Stripe;

namespace Archal.Testing.Clones.Tests;

/// <summary>
/// Every field of a clone state is either written by its seed-file export or named here as not carried (with the reason
/// docs/faults-and-snapshots.md gives): bookkeeping added to a state later fails this test until its export decides.
/// Entity tables are always carried (every table is exported).
/// </summary>
public class SeedExportCoverageTests
{
    public static TheoryData<Type, string[], string[]> States() => new()
    {
        {
            typeof(GitHubState),
            ["DefaultLogin", "TokenLogins", "RevokedTokens", "RateLimit", "UserRateLimits", "SearchRateLimit", "Blobs", "RenamedRepos", "_nextId"],
            ["CurrentRequest" /* the request being served */, "RateWindows" /* rate-limit windows in progress */]
        },
        {
            typeof(SlackState),
            ["_tokens", "_tokenScopes", "_lastTs", "_nextScheduledId", "BotUserId", "RateLimits", "StrictTokens"],
            [
                "_timelines", "_threads", "_botsById", "_botsByIdUserCount" /* indexes and caches, rebuilt from the tables */,
                "EventSubscriptions", "EventsVerificationToken" /* app settings with a signing secret */, "RateWindows",
            ]
        },
        {
            typeof(StripeState),
            ["Billing", "NoticesSent", "DeletedCustomers", "InvoicePayments", "WebhookSecrets" /* new ones */, "_sequence" /* renumbered */],
            [
                "SeededAt", "_dueEpoch", "_nextDue" /* set when seeding ends */, "_requestIds" /* the random source's position */,
                "_idempotency" /* stored idempotency keys */, "InjectedDecline", "NowOverride", "CurrentRequest" /* per call */,
            ]
        },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void Every_field_of_a_state_is_exported_or_named_as_not_carried(Type state, string[] carried, string[] notCarried)
    {
        var fields = state.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(f => !(f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition() == typeof(EntityTable<>)))
            .Select(f => f.Name.StartsWith('<') ? f.Name[1..f.Name.IndexOf('>', StringComparison.Ordinal)] : f.Name);

        fields.Should().BeEquivalentTo(carried.Concat(notCarried),
            $"{state.Name}'s seed-file export ({state.Name.Replace("State", "SeedExport", StringComparison.Ordinal)}.cs) must carry each new field or docs/faults-and-snapshots.md must say why not");
    }
}
