using System.Net;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Slack;
using Archal.Testing.Hosting;

namespace Archal.Testing.Clones.Tests.Slack;

/// <summary>Calls Slack Web API methods on a clone session the way Slack clients do (form-encoded POST).</summary>
internal sealed class SlackApi(ArchalSession session, HttpClient client) : IAsyncDisposable
{
    public ArchalSession Session { get; } = session;

    public HttpClient Client { get; } = client;

    public SlackState State => Session.GetState<SlackState>("slack");

    public static async Task<SlackApi> StartAsync(CloneHostFixture fixture, string seed = "engineering-team", string? token = null)
    {
        var (session, client) = await fixture.StartAsync("slack", seed, token);
        return new SlackApi(session, client);
    }

    /// <summary>POSTs form-encoded arguments; returns the status and parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> SendAsync(string method, params (string Key, string Value)[] args)
    {
        using var content = new FormUrlEncodedContent(args.Select(a => new KeyValuePair<string, string>(a.Key, a.Value)));
        var response = await Client.PostAsync(method, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject(), response);
    }

    /// <summary>Calls a method that must succeed and returns its body.</summary>
    public async Task<JsonObject> OkAsync(string method, params (string Key, string Value)[] args)
    {
        var (status, body, _) = await SendAsync(method, args);
        status.Should().Be(HttpStatusCode.OK);
        body["ok"]!.GetValue<bool>().Should().BeTrue($"{method} should succeed but returned {body.ToJsonString()}");
        return body;
    }

    /// <summary>Calls a method that must fail with HTTP 200 and Slack's error body; returns the body.</summary>
    public async Task<JsonObject> ErrorAsync(string method, string expectedError, params (string Key, string Value)[] args)
    {
        var (status, body, _) = await SendAsync(method, args);
        status.Should().Be(HttpStatusCode.OK);
        body["ok"]!.GetValue<bool>().Should().BeFalse();
        body["error"]!.GetValue<string>().Should().Be(expectedError, body.ToJsonString());
        return body;
    }

    public string ChannelId(string name) => State.Channels.Items.Single(c => c.Name == name).Id;

    public string UserId(string name) => State.Users.Items.Single(u => u.Name == name).Id;

    public string BotId => State.BotUserId;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Session.DisposeAsync();
    }
}
