using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Slack;

/// <summary>The <c>bookmarks.*</c> methods: links pinned to a channel's header.</summary>
internal static class SlackBookmarks
{
    public static IEnumerable<SlackMethod> Methods =>
    [
        new("bookmarks.add", 2, "bookmarks:write", Add, Summary: "Add bookmark to a channel."),
        new("bookmarks.edit", 2, "bookmarks:write", Edit, Summary: "Edit bookmark."),
        new("bookmarks.remove", 2, "bookmarks:write", Remove, Summary: "Remove bookmark from the channel."),
        new("bookmarks.list", 3, "bookmarks:read", List, Summary: "List bookmark for the channel."),
    ];

    private static SlackChannel Channel(SlackCall call, bool write)
    {
        var channel = SlackConversations.Resolve(call, "channel_id", missingIsInvalidArguments: false);
        if (write)
        {
            SlackConversations.RequireNotArchived(channel);
            SlackConversations.RequireMember(call, channel);
        }

        return channel;
    }

    private static string? Link(SlackCall call)
    {
        var link = call.Args.Str("link");
        if (link is not null && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            throw new SlackException("invalid_link");
        }

        return link;
    }

    private static JsonObject Render(SlackBookmark b) => new()
    {
        ["id"] = b.Id,
        ["channel_id"] = b.ChannelId,
        ["title"] = b.Title,
        ["link"] = b.Link,
        ["emoji"] = b.Emoji,
        ["icon_url"] = null,
        ["type"] = "link",
        ["entity_id"] = null,
        ["date_created"] = b.DateCreated,
        ["date_updated"] = b.DateUpdated,
        ["rank"] = b.Rank,
        ["last_updated_by_user_id"] = b.UpdatedBy,
        ["last_updated_by_team_id"] = b.TeamId,
        ["shortcut_id"] = null,
        ["app_id"] = null,
    };

    private static JsonObject Add(SlackCall call)
    {
        var channel = Channel(call, write: true);
        var title = call.Args.Str("title") ?? throw SlackErrors.MissingArgument("title");
        if (call.Args.Str("type") is { } type && type != "link")
        {
            throw new SlackException("invalid_bookmark_type");
        }

        var link = Link(call) ?? throw new SlackException("invalid_link");
        var state = call.State;
        var now = state.NowSeconds;
        var rank = state.Bookmarks.Items.Count(b => b.ChannelId == channel.Id);
        var bookmark = state.Bookmarks.Add(new SlackBookmark
        {
            Id = "Bk" + state.NewId('0')[1..],
            ChannelId = channel.Id,
            Title = title,
            Link = link,
            Emoji = call.Args.Str("emoji"),
            DateCreated = now,
            DateUpdated = now,
            Rank = ((char)('a' + Math.Min(rank, 25))).ToString(),
            UpdatedBy = call.Caller.Id,
            TeamId = state.Team.Id,
        });
        var body = SlackCall.Ok();
        body["bookmark"] = Render(bookmark);
        return body;
    }

    private static SlackBookmark Find(SlackCall call, SlackChannel channel)
    {
        var id = call.Args.Str("bookmark_id") ?? throw SlackErrors.MissingArgument("bookmark_id");
        var bookmark = call.State.Bookmarks.Find(id);
        return bookmark is not null && bookmark.ChannelId == channel.Id ? bookmark : throw new SlackException("not_found");
    }

    private static JsonObject Edit(SlackCall call)
    {
        var channel = Channel(call, write: true);
        var bookmark = Find(call, channel);
        var title = call.Args.Str("title");
        var link = Link(call);
        var emoji = call.Args.Str("emoji");
        call.State.Bookmarks.Update(bookmark, b =>
        {
            b.Title = title ?? b.Title;
            b.Link = link ?? b.Link;
            b.Emoji = emoji ?? b.Emoji;
            b.DateUpdated = call.State.NowSeconds;
            b.UpdatedBy = call.Caller.Id;
        });
        var body = SlackCall.Ok();
        body["bookmark"] = Render(bookmark);
        return body;
    }

    private static JsonObject Remove(SlackCall call)
    {
        var channel = Channel(call, write: true);
        call.State.Bookmarks.Remove(Find(call, channel).Id);
        return SlackCall.Ok();
    }

    private static JsonObject List(SlackCall call)
    {
        var channel = Channel(call, write: false);
        var body = SlackCall.Ok();
        body["bookmarks"] = new JsonArray([.. call.State.Bookmarks.Items.Where(b => b.ChannelId == channel.Id).Select(b => (JsonNode?)Render(b))]);
        return body;
    }
}
