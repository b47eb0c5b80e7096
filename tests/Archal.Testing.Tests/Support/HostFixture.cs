using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Archal.Testing.Tests.Support;

/// <summary>An in-memory host with the built-in clones plus <see cref="EchoClone"/>, on a manual clock.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ArchalHost Host { get; }

    public HostFixture()
    {
        var options = new ArchalHostOptions { TimeProvider = Time };
        options.Clones.Add(new EchoClone());
        Host = new ArchalHost(options);
    }

    public Task InitializeAsync() => Host.StartAsync();

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    public async Task<JsonObject> CreateSessionAsync(object body, string? token = null)
    {
        using var client = Host.CreateClient(token);
        using var response = await client.PostAsJsonAsync("/api/sessions", body);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        response.EnsureSuccessStatusCode();
        return json!;
    }
}

internal static class HttpTestExtensions
{
    public static async Task<(int Status, JsonObject Body)> ReadJsonAsync(this HttpResponseMessage response) =>
        ((int)response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);

    public static string? Str(this JsonNode? node, string name) => node?[name]?.GetValue<string>();
}
