using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Bogus;

namespace Archal.Testing.Clones.Slack;

/// <summary>
/// The named Slack seeds and the seed-data format applied on top of them.
/// </summary>
/// <remarks>
/// <para>Named seeds (every one has the bot user <c>archal-bot</c>, which <see cref="SlackClone.DefaultServiceToken"/>
/// authenticates as, and <c>#general</c>):</para>
/// <list type="bullet">
/// <item><c>empty</c>: the workspace, the owner <c>admin</c>, the bot, <c>#general</c>; no messages.</item>
/// <item><c>engineering-team</c>: 8 people (alice … heidi), <c>#general #random #engineering #deploys</c> and the
/// private <c>#design</c>, a few days of conversation with threads and reactions.</item>
/// <item><c>busy-workspace</c>: 40 people, 60 channels, about 3,000 messages over 30 days.</item>
/// <item><c>incident-active</c>: an ongoing SEV1 in <c>#inc-checkout-outage</c> with alerts, a pinned status,
/// a thread and reactions, plus <c>#incidents #engineering #general</c>.</item>
/// </list>
/// <para>Seed data (<see cref="CloneSeedContext.Data"/>), all parts optional:</para>
/// <code>
/// {
///   "users":    [{"name": "alice", "real_name": "Alice Chen", "email": "alice@example.com", "is_bot": false,
///                 "title": "...", "is_admin": false}],
///   "channels": [{"name": "ops", "is_private": false, "members": ["alice", "archal-bot"], "topic": "...",
///                 "purpose": "...", "is_archived": false}],
///   "messages": [{"channel": "#ops", "user": "alice", "text": "...", "minutes_ago": 30,
///                 "thread": [{"user": "bob", "text": "...", "minutes_ago": 20}],
///                 "reactions": [{"name": "eyes", "users": ["bob"]}], "pinned": false}],
///   "tokens":   [{"token": "xoxp-custom", "user": "alice", "scopes": ["chat:write"]}],
///   "rate_limits": true,
///   "strict_tokens": false,
///   "event_subscriptions": [{"url": "https://app.test/slack/events", "signing_secret": "...",
///                            "events": ["message.channels", "app_mention"]}]
/// }
/// </code>
/// <para>Users and channels that already exist (by name) are updated with the fields given; new ones are created with
/// deterministic ids and defaults (email <c>{name}@{email domain}</c>, real name from the handle). Channel members are
/// user names (the bot is <c>archal-bot</c>); without <c>members</c> a new public channel holds every person and the
/// bot, a new private one the first person and the bot. Messages without <c>minutes_ago</c> are two minutes apart in
/// the past, in list order; thread replies follow their parent; a message without <c>user</c> is the bot's. A token with
/// <c>scopes</c> gets <c>missing_scope</c> for methods needing others. Any other <c>xoxb-</c> token is the bot and any
/// other <c>xoxp-</c> token the primary owner, unless <c>strict_tokens</c> is true. A reference to an unknown user or channel
/// raises <see cref="CloneSeedException"/>. <c>event_subscriptions</c> are the app's Events API settings, already
/// verified: events are delivered from the first call on, with no <c>url_verification</c>.</para>
/// <para>A <c>state</c> object (an exported state, <see cref="SlackClone.ExportSeedData"/>) replaces the named seed: the
/// workspace starts with exactly its tables and bookkeeping, and the parts above are applied on top.</para>
/// </remarks>
public static class SlackSeeds
{
    /// <summary>The workspace, the owner <c>admin</c>, the bot and <c>#general</c>; no messages.</summary>
    public const string Empty = "empty";

    /// <summary>8 people, <c>#general #random #engineering #deploys</c> and their recent messages.</summary>
    public const string EngineeringTeam = "engineering-team";

    /// <summary>40 people, 60 channels, about 3,000 messages over 30 days.</summary>
    public const string BusyWorkspace = "busy-workspace";

    /// <summary>An ongoing SEV1 in <c>#inc-checkout-outage</c>.</summary>
    public const string IncidentActive = "incident-active";

    /// <summary>The seed names.</summary>
    public static IReadOnlyList<string> Names { get; } = [Empty, EngineeringTeam, BusyWorkspace, IncidentActive];

    /// <summary>The bot user's handle in every seed.</summary>
    public const string BotName = "archal-bot";

    internal static SlackState Create(CloneSeedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var state = new SlackState(context);
        var random = new Randomizer(StableHash.Combine(context.RandomSeed, "slack-seed"));
        // Building a Faker costs ~0.75 MB and ~2 ms; seeds that need only numbers never build one.
        // Both share one Randomizer, so the generated sequence is the same either way.
        var faker = new Lazy<Faker>(() => new Faker { Random = random });
        var now = context.Time.GetUtcNow();
        var builder = new Builder(state, faker, random, now);
        // An exported state (SlackSeedExport) replaces the named seed: the file holds the whole workspace.
        var exported = SeedDataExport.Split(context.Data, "slack", out var rest);
        switch (exported is not null && Names.Contains(context.SeedName) ? null : context.SeedName)
        {
            case null:
                try
                {
                    SlackSeedExport.Load(state, exported!);
                }
                catch (InvalidOperationException e)
                {
                    throw new CloneSeedException($"slack seed data: {e.Message}", e);
                }

                break;
            case "empty":
                builder.Workspace("Archal Testing", "archal-testing", [("admin", "Alex Admin", "Workspace Admin")]);
                builder.Channel("general", ["admin", BotName], topic: "Company-wide announcements", general: true);
                break;
            case "engineering-team":
                AddEngineeringTeam(builder);
                break;
            case "busy-workspace":
                AddBusyWorkspace(builder);
                break;
            case "incident-active":
                AddIncidentActive(builder);
                break;
            default:
                throw new CloneSeedException($"Slack has no seed named '{context.SeedName}'. Known seeds: {string.Join(", ", Names)}.");
        }

        if (rest is { } data)
        {
            ApplyData(builder, data);
        }

        return state;
    }

    private static readonly (string Name, string RealName, string Title)[] EngineeringPeople =
    [
        ("alice", "Alice Chen", "Engineering Manager"),
        ("bob", "Bob Martinez", "Backend Engineer"),
        ("carol", "Carol Okafor", "Product Designer"),
        ("dave", "Dave Kowalski", "Site Reliability Engineer"),
        ("erin", "Erin Walsh", "Frontend Engineer"),
        ("frank", "Frank Nguyen", "Backend Engineer"),
        ("grace", "Grace Liu", "Staff Engineer"),
        ("heidi", "Heidi Schmidt", "Product Manager"),
    ];

    private static void AddEngineeringTeam(Builder b)
    {
        b.Workspace("Acme Engineering", "acme-eng", EngineeringPeople);
        var everyone = EngineeringPeople.Select(p => p.Name).Append(BotName).ToArray();
        b.Channel("general", everyone, topic: "Company-wide announcements", general: true);
        b.Channel("random", everyone[..^1], topic: "Non-work banter and water cooler conversation");
        b.Channel("engineering", ["alice", "bob", "dave", "erin", "frank", "grace", BotName], topic: "Engineering discussion", purpose: "Design reviews, questions and help");
        b.Channel("deploys", ["alice", "bob", "dave", "frank", BotName], topic: "Deploy notifications");
        b.Channel("design", ["carol", "erin", "heidi"], isPrivate: true, topic: "Design crit");

        var minutes = 4 * 24 * 60;
        foreach (var (channel, people, count) in new[]
        {
            ("general", everyone[..^1], 10), ("random", everyone[..^1], 12), ("engineering", new[] { "alice", "bob", "dave", "erin", "frank", "grace" }, 24),
            ("deploys", new[] { "bob", "dave", "frank" }, 8), ("design", new[] { "carol", "erin", "heidi" }, 8),
        })
        {
            var at = minutes;
            for (var i = 0; i < count; i++)
            {
                at -= b.Faker.Random.Int(20, 300);
                var parent = b.Message(channel, b.Faker.PickRandom(people), b.Sentence(), Math.Max(at, 5));
                if (i % 5 == 2)
                {
                    b.Replies(parent, people, b.Faker.Random.Int(1, 4));
                }

                if (i % 3 == 0)
                {
                    b.React(parent, b.Faker.PickRandom(Emoji), b.Faker.PickRandom(people, 2).Distinct().ToArray());
                }
            }
        }

        b.Message("deploys", BotName, "Deployed api v2.14.0 to production :rocket:", 90);
    }

    private static readonly string[] Emoji = ["thumbsup", "eyes", "white_check_mark", "tada", "heart", "rocket", "100", "joy", "pray", "fire"];

    private static void AddBusyWorkspace(Builder b)
    {
        var people = new List<(string, string, string)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        while (people.Count < 40)
        {
            var first = b.Faker.Name.FirstName();
            var last = b.Faker.Name.LastName();
            var handle = $"{first}.{last}".ToLowerInvariant().Replace("'", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            if (used.Add(handle))
            {
                people.Add((handle, $"{first} {last}", b.Faker.Name.JobTitle()));
            }
        }

        b.Workspace("Globex Corporation", "globex", people);
        var names = people.Select(p => p.Item1).ToArray();
        b.Channel("general", [.. names, BotName], topic: "Announcements", general: true);
        var prefixes = new[] { "team", "proj", "eng", "ask", "social", "ops" };
        var channels = new List<(string Name, string[] Members)> { ("general", names) };
        var channelNames = new HashSet<string>(StringComparer.Ordinal) { "general" };
        while (channels.Count < 60)
        {
            var name = $"{b.Faker.PickRandom(prefixes)}-{b.Faker.Hacker.Noun().ToLowerInvariant().Replace(' ', '-')}";
            if (!channelNames.Add(name))
            {
                name = $"{name}-{channels.Count}";
                channelNames.Add(name);
            }

            var members = b.Faker.PickRandom(names, b.Faker.Random.Int(3, 25)).Distinct().ToArray();
            var isPrivate = channels.Count % 7 == 0;
            b.Channel(name, isPrivate ? members : [.. members, BotName], isPrivate: isPrivate, topic: b.Faker.Company.CatchPhrase());
            channels.Add((name, members));
        }

        // ~3,000 messages over 30 days, newest last in each channel.
        const int total = 3000;
        for (var i = 0; i < total; i++)
        {
            var (channel, members) = channels[i % channels.Count];
            var minutesAgo = (total - i) * 14 + b.Faker.Random.Int(0, 10);
            var parent = b.Message(channel, b.Faker.PickRandom(members), b.Sentence(), minutesAgo);
            if (i % 11 == 0)
            {
                b.Replies(parent, members, b.Faker.Random.Int(1, 5));
            }

            if (i % 4 == 0)
            {
                b.React(parent, b.Faker.PickRandom(Emoji), b.Faker.PickRandom(members, 3).Distinct().ToArray());
            }
        }
    }

    private static void AddIncidentActive(Builder b)
    {
        b.Workspace("Initech", "initech",
        [
            ("alice", "Alice Chen", "Site Reliability Engineer (on call)"),
            ("bob", "Bob Martinez", "Backend Engineer"),
            ("carol", "Carol Okafor", "Incident Commander"),
            ("dave", "Dave Kowalski", "Payments Engineer"),
            ("erin", "Erin Walsh", "Customer Support Lead"),
        ]);
        var everyone = new[] { "alice", "bob", "carol", "dave", "erin" };
        b.Channel("general", [.. everyone, BotName], general: true, topic: "Company-wide announcements");
        b.Channel("engineering", ["alice", "bob", "dave", BotName], topic: "Engineering discussion");
        b.Channel("incidents", [.. everyone, BotName], topic: "Incident declarations and status. Runbook: https://wiki.initech.example/incidents");
        b.Channel("inc-checkout-outage", ["alice", "bob", "carol", "dave", BotName],
            topic: "SEV1: checkout API returning 500s | IC: @carol | Status: investigating",
            purpose: "Incident channel for the checkout outage");
        b.Channel("support-escalations", ["erin", "carol", "dave"], isPrivate: true, topic: "Customer-facing escalations");

        b.Message("engineering", "bob", "Merged the connection-pool refactor for payments-api, rolling out with the 14:00 deploy.", 95);
        b.Message("incidents", BotName, ":rotating_light: *SEV1 declared*: checkout API error rate above 25% for 10 minutes. Channel: #inc-checkout-outage", 42);
        var alert = b.Message("inc-checkout-outage", BotName, ":red_circle: [FIRING] checkout-api 5xx rate 31% (threshold 5%) since 13:58 UTC", 41);
        b.React(alert, "eyes", ["alice", "carol"]);
        var status = b.Message("inc-checkout-outage", "carol", "I'm IC. Current status: investigating. Next update in 15 minutes. Please keep discussion in threads.", 38);
        b.Pin(status, "carol");
        var investigation = b.Message("inc-checkout-outage", "alice", "Seeing `too many connections` errors from payments-db in the checkout-api logs.", 35);
        b.Reply(investigation, "dave", "The pool size changed in today's payments-api deploy (v3.8.0), max connections went from 20 to 200 per pod.", 33);
        b.Reply(investigation, "bob", "That's my refactor. I can roll back payments-api to v3.7.2.", 31);
        b.Reply(investigation, "carol", "Let's roll back. Bob, go ahead.", 30);
        b.React(investigation, "white_check_mark", ["carol"]);
        b.Message("inc-checkout-outage", "bob", "Rollback of payments-api to v3.7.2 started.", 25);
        b.Message("inc-checkout-outage", BotName, ":large_yellow_circle: [FIRING] checkout-api 5xx rate 12% (threshold 5%)", 12);
        b.Message("support-escalations", "erin", "Three enterprise customers reported failed checkouts in the last half hour. Any ETA I can share?", 20);
    }

    // ---- seed data ----

    private static void ApplyData(Builder b, JsonObject data)
    {
        if (data["users"] is { } users)
        {
            foreach (var node in AsArray(users, "users"))
            {
                var name = RequiredString(node, "name", "users[]");
                b.UpsertUser(name, Str(node, "real_name"), Str(node, "email"), Bool(node, "is_bot"), Str(node, "title"), Bool(node, "is_admin"));
            }
        }

        if (data["channels"] is { } channels)
        {
            foreach (var node in AsArray(channels, "channels"))
            {
                var name = RequiredString(node, "name", "channels[]").TrimStart('#');
                var members = node?["members"] is { } m ? AsArray(m, $"channels '{name}' members").Select(x => x?.GetValue<string>() ?? "").ToArray() : null;
                b.UpsertChannel(name, Bool(node, "is_private"), members, Str(node, "topic"), Str(node, "purpose"), Bool(node, "is_archived"));
            }
        }

        if (data["messages"] is { } messages)
        {
            var index = 0;
            var list = AsArray(messages, "messages").ToList();
            foreach (var node in list)
            {
                var channel = RequiredString(node, "channel", "messages[]");
                var user = Str(node, "user") ?? BotName;
                var text = Str(node, "text") ?? b.Sentence();
                var minutesAgo = Int(node, "minutes_ago") ?? (list.Count - index) * 2;
                index++;
                var parent = b.Message(channel, user, text, minutesAgo);
                if (node?["thread"] is { } thread)
                {
                    var replies = AsArray(thread, "messages[].thread").ToList();
                    for (var i = 0; i < replies.Count; i++)
                    {
                        var reply = replies[i];
                        var replyAgo = Int(reply, "minutes_ago") ?? Math.Max(0, minutesAgo - 1 - i);
                        b.Reply(parent, Str(reply, "user") ?? BotName, Str(reply, "text") ?? b.Sentence(), replyAgo, reactions: reply?["reactions"]);
                    }
                }

                if (node?["reactions"] is { } reactions)
                {
                    b.ApplyReactions(parent, reactions);
                }

                if (Bool(node, "pinned") == true)
                {
                    b.Pin(parent, user);
                }
            }
        }

        if (data["tokens"] is { } tokens)
        {
            foreach (var node in AsArray(tokens, "tokens"))
            {
                var token = RequiredString(node, "token", "tokens[]");
                var user = b.RequireUser(RequiredString(node, "user", "tokens[]"), $"token '{token}'");
                var scopes = node?["scopes"] is { } s ? AsArray(s, "tokens[].scopes").Select(x => x?.GetValue<string>() ?? "").ToArray() : null;
                b.State.RegisterToken(token, user.Id, scopes);
            }
        }

        if (data["event_subscriptions"] is { } subscriptions)
        {
            // The app's Events API settings, already verified (the url_verification happened when the app was set up).
            foreach (var node in AsArray(subscriptions, "event_subscriptions"))
            {
                var url = RequiredString(node, "url", "event_subscriptions[]");
                var secret = RequiredString(node, "signing_secret", "event_subscriptions[]");
                var events = node?["events"] is { } e ? AsArray(e, "event_subscriptions[].events").Select(x => x?.GetValue<string>() ?? "").ToList() : [];
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    throw new CloneSeedException($"slack seed data: event subscription url '{url}' must be an absolute http or https URL.");
                }

                if (events.FirstOrDefault(name => !SlackEvents.Supported.Contains(name, StringComparer.Ordinal)) is { } unknown)
                {
                    throw new CloneSeedException($"slack seed data: the Slack clone does not send '{unknown}'; it sends {string.Join(", ", SlackEvents.Supported)}.");
                }

                b.State.EventSubscriptions.Add(new SlackEventSubscription(uri, System.Text.Encoding.UTF8.GetBytes(secret), [.. events]));
            }
        }

        if (Bool(data, "strict_tokens") is { } strict)
        {
            b.State.StrictTokens = strict;
        }

        if (data.ContainsKey("rate_limits"))
        {
            b.State.RateLimits = SlackRateLimits.FromSeed(data["rate_limits"]);
        }
    }

    private static IEnumerable<JsonNode?> AsArray(JsonNode node, string what) =>
        node as JsonArray ?? throw new CloneSeedException($"slack seed data: '{what}' must be an array.");

    private static string? Str(JsonNode? node, string name)
    {
        try
        {
            return node?[name]?.GetValue<string>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new CloneSeedException($"slack seed data: '{name}' must be a string.", e);
        }
    }

    private static string RequiredString(JsonNode? node, string name, string what) =>
        Str(node, name) is { Length: > 0 } value ? value : throw new CloneSeedException($"slack seed data: {what} needs a '{name}'.");

    private static bool? Bool(JsonNode? node, string name) =>
        node?[name] is JsonValue v ? (v.TryGetValue<bool>(out var b) ? b : throw new CloneSeedException($"slack seed data: '{name}' must be true or false.")) : null;

    private static int? Int(JsonNode? node, string name) =>
        node?[name] is JsonValue v ? (v.TryGetValue<int>(out var i) ? i : throw new CloneSeedException($"slack seed data: '{name}' must be a whole number.")) : null;

    /// <summary>Seed-building helpers over one state.</summary>
    private sealed class Builder(SlackState state, Lazy<Faker> faker, Randomizer random, DateTimeOffset now)
    {
        public SlackState State { get; } = state;

        public Faker Faker => faker.Value;

        public Randomizer Random { get; } = random;

        public void Workspace(string name, string domain, IEnumerable<(string Name, string RealName, string Title)> people)
        {
            State.Teams.Add(new SlackTeam { Id = "T0" + State.Random.NextString(9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), Name = name, Domain = domain, EmailDomain = $"{domain}.example.com" });
            var first = true;
            foreach (var (handle, realName, title) in people)
            {
                var user = AddUser(handle, realName, $"{handle}@{domain}.example.com", isBot: false, title);
                if (first)
                {
                    State.Users.Update(user, u => (u.IsOwner, u.IsPrimaryOwner, u.IsAdmin) = (true, true, true));
                    first = false;
                }
            }

            var bot = AddUser(BotName, "Archal Bot", null, isBot: true, "");
            State.BotUserId = bot.Id;
            State.RegisterToken(SlackClone.BotToken, bot.Id);
        }

        private SlackUser AddUser(string handle, string realName, string? email, bool isBot, string title)
        {
            var user = State.Users.Add(new SlackUser
            {
                Id = State.NewId('U'),
                Name = handle,
                RealName = realName,
                DisplayName = isBot ? "" : handle,
                Email = email,
                Title = title,
                IsBot = isBot,
                BotId = isBot ? State.NewId('B') : null,
                AppId = isBot ? "A0" + State.Random.NextString(9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") : null,
                Color = Random.Hexadecimal(6, prefix: ""),
                Presence = Random.Bool(0.7f) ? "active" : "away",
                Updated = now.AddDays(-Random.Int(1, 300)).ToUnixTimeSeconds(),
            });
            if (!isBot)
            {
                State.RegisterToken(State.UserToken(user.Id), user.Id);
            }

            return user;
        }

        public void UpsertUser(string name, string? realName, string? email, bool? isBot, string? title, bool? isAdmin)
        {
            if (State.UserByName(name) is { } existing)
            {
                State.Users.Update(existing, u =>
                {
                    u.RealName = realName ?? u.RealName;
                    u.Email = email ?? u.Email;
                    u.Title = title ?? u.Title;
                    u.IsAdmin = isAdmin ?? u.IsAdmin;
                });
                return;
            }

            var bot = isBot == true;
            var user = AddUser(name, realName ?? RealNameFrom(name), bot ? email : email ?? $"{name}@{State.Team.EmailDomain}", bot, title ?? "");
            if (isAdmin == true)
            {
                State.Users.Update(user, u => u.IsAdmin = true);
            }
        }

        private static string RealNameFrom(string handle) =>
            string.Join(' ', handle.Split('.', '-', '_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

        public SlackUser RequireUser(string name, string where) =>
            State.UserByName(name.TrimStart('@')) ?? State.Users.Find(name)
            ?? throw new CloneSeedException($"slack seed data: {where} names unknown user '{name}'. Known users: {string.Join(", ", State.Users.Items.Select(u => u.Name))}.");

        public SlackChannel RequireChannel(string name, string where) =>
            State.ChannelByName(name.TrimStart('#')) ?? State.Channels.Find(name)
            ?? throw new CloneSeedException($"slack seed data: {where} names unknown channel '{name}'. Known channels: {string.Join(", ", State.Channels.Items.Where(c => !c.IsIm).Select(c => "#" + c.Name))}.");

        public SlackChannel Channel(string name, string[] members, bool isPrivate = false, string topic = "", string purpose = "", bool general = false)
        {
            var memberIds = members.Select(m => RequireUser(m, $"channel '#{name}'").Id).Distinct(StringComparer.Ordinal).ToList();
            var created = now.AddDays(-Random.Int(60, 700)).ToUnixTimeSeconds();
            var creator = memberIds.FirstOrDefault() ?? State.BotUserId;
            return State.Channels.Add(new SlackChannel
            {
                Id = State.NewId(isPrivate ? 'G' : 'C'),
                Name = name,
                IsPrivate = isPrivate,
                IsGeneral = general,
                Created = created,
                Creator = creator,
                Members = memberIds,
                Topic = topic,
                TopicCreator = topic.Length > 0 ? creator : "",
                TopicLastSet = topic.Length > 0 ? created + 60 : 0,
                Purpose = purpose,
                PurposeCreator = purpose.Length > 0 ? creator : "",
                PurposeLastSet = purpose.Length > 0 ? created + 60 : 0,
            });
        }

        public void UpsertChannel(string name, bool? isPrivate, string[]? members, string? topic, string? purpose, bool? isArchived)
        {
            if (State.ChannelByName(name) is { } existing)
            {
                var ids = members?.Select(m => RequireUser(m, $"channel '#{name}'").Id).ToList();
                State.Channels.Update(existing, c =>
                {
                    if (ids is not null)
                    {
                        c.Members.Clear();
                        c.Members.AddRange(ids.Distinct(StringComparer.Ordinal));
                    }

                    if (topic is not null)
                    {
                        (c.Topic, c.TopicCreator, c.TopicLastSet) = (topic, c.Creator, now.ToUnixTimeSeconds());
                    }

                    if (purpose is not null)
                    {
                        (c.Purpose, c.PurposeCreator, c.PurposeLastSet) = (purpose, c.Creator, now.ToUnixTimeSeconds());
                    }

                    c.IsArchived = isArchived ?? c.IsArchived;
                });
                return;
            }

            var priv = isPrivate == true;
            var defaultMembers = priv ? [State.Users.Items.First(u => !u.IsBot).Name, BotName] : State.Users.Items.Where(u => !u.IsBot).Select(u => u.Name).Append(BotName).ToArray();
            var channel = Channel(name, members ?? defaultMembers, priv, topic ?? "", purpose ?? "");
            if (isArchived == true)
            {
                State.Channels.Update(channel, c => c.IsArchived = true);
            }
        }

        public string Sentence() => Faker.Random.Int(0, 3) switch
        {
            0 => Faker.Hacker.Phrase(),
            1 => Faker.Lorem.Sentence(Faker.Random.Int(4, 14)),
            2 => $"Can someone take a look at {Faker.Hacker.Abbreviation()} {Faker.Hacker.Noun()}? {Faker.Hacker.Phrase()}",
            _ => Faker.Rant.Review(Faker.Commerce.ProductName()),
        };

        public SlackMessage Message(string channelName, string userName, string text, int minutesAgo)
        {
            var channel = RequireChannel(channelName, "message");
            var user = RequireUser(userName, $"message in '#{channel.Name}'");
            return State.AddMessage(new SlackMessage
            {
                Channel = channel.Id,
                ChannelName = channel.Name,
                Ts = State.SeedTs(channel.Id, now.AddMinutes(-minutesAgo)),
                User = user.Id,
                BotId = user.BotId,
                AppId = user.AppId,
                Text = text,
            });
        }

        public void Replies(SlackMessage parent, string[] people, int count)
        {
            var parentAgo = (int)((now.ToUnixTimeSeconds() - parent.TsValue / 1_000_000) / 60);
            for (var i = 0; i < count; i++)
            {
                Reply(parent, Faker.PickRandom(people), Sentence(), Math.Max(0, parentAgo - 1 - (i * Faker.Random.Int(1, 5))));
            }
        }

        public SlackMessage Reply(SlackMessage parent, string userName, string text, int minutesAgo, JsonNode? reactions = null)
        {
            var user = RequireUser(userName, "thread reply");
            var parentMicros = parent.TsValue;
            var at = now.AddMinutes(-minutesAgo);
            var atMicros = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
            if (atMicros <= parentMicros)
            {
                at = DateTimeOffset.UnixEpoch.AddTicks((parentMicros + 1_000_000) * 10);
            }

            var reply = State.AddMessage(new SlackMessage
            {
                Channel = parent.Channel,
                ChannelName = parent.ChannelName,
                Ts = State.SeedTs(parent.Channel, at),
                ThreadTs = parent.Ts,
                User = user.Id,
                BotId = user.BotId,
                AppId = user.AppId,
                Text = text,
            });
            SlackChat.RefreshThread(State, parent);
            if (reactions is not null)
            {
                ApplyReactions(reply, reactions);
            }

            return reply;
        }

        public void React(SlackMessage message, string name, string[] people)
        {
            var ids = people.Select(p => RequireUser(p, $"reaction '{name}'").Id).ToList();
            State.Messages.Update(message, m =>
            {
                var reaction = m.Reactions.FirstOrDefault(r => r.Name == name);
                if (reaction is null)
                {
                    m.Reactions.Add(reaction = new SlackReaction { Name = name });
                }

                foreach (var id in ids.Where(id => !reaction.Users.Contains(id)))
                {
                    reaction.Users.Add(id);
                }
            });
        }

        public void ApplyReactions(SlackMessage message, JsonNode reactions)
        {
            foreach (var r in AsArray(reactions, "reactions"))
            {
                var name = RequiredString(r, "name", "reactions[]").Trim(':');
                var users = r?["users"] is { } u ? AsArray(u, "reactions[].users").Select(x => x?.GetValue<string>() ?? "").ToArray() : [BotName];
                React(message, name, users);
            }
        }

        public void Pin(SlackMessage message, string byName)
        {
            if (State.Pins.Contains(message.Key))
            {
                return;
            }

            var user = RequireUser(byName, "pin");
            State.Pins.Add(new SlackPin
            {
                Channel = message.Channel,
                Ts = message.Ts,
                CreatedBy = user.Id,
                Created = message.TsValue / 1_000_000 + 60,
            });
        }
    }
}
