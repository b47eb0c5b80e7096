using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Tests.Slack;

/// <summary>
/// Hostile bodies get Slack's own answer (HTTP 200, <c>{"ok":false,"error":...}</c>): <c>invalid_json</c>,
/// <c>invalid_arguments</c> or <c>invalid_form_data</c>; never a 500 or <c>internal_error</c>, and the session keeps serving.
/// </summary>
[Collection(CloneHostCollection.Name)]
public class SlackHostileBodyTests(CloneHostFixture fixture)
{
    private static async Task<JsonObject> PostAsync(SlackApi slack, string method, byte[] bytes, string contentType)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await slack.Client.PostAsync(method, content);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static Task<JsonObject> PostJsonAsync(SlackApi slack, string method, string json) =>
        PostAsync(slack, method, Encoding.UTF8.GetBytes(json), "application/json; charset=utf-8");

    private static async Task ShouldKeepServingAsync(SlackApi slack)
    {
        var posted = await slack.OkAsync("chat.postMessage", ("channel", slack.ChannelId("engineering")), ("text", "still here"));
        posted["message"]!["text"]!.GetValue<string>().Should().Be("still here");
    }

    private static void ShouldBeError(JsonObject body, string error)
    {
        body["ok"]!.GetValue<bool>().Should().BeFalse();
        body["error"]!.GetValue<string>().Should().Be(error, body.ToJsonString());
    }

    [Fact]
    public async Task Duplicate_json_keys_are_invalid_arguments_naming_the_key()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var body = await PostJsonAsync(slack, "chat.postMessage", $$"""{"channel":"{{slack.ChannelId("engineering")}}","text":"a","text":"b"}""");

        ShouldBeError(body, "invalid_arguments");
        body["response_metadata"]!["messages"]![0]!.GetValue<string>().Should().StartWith("[ERROR] the property 'text' is given twice in one object");
        slack.State.Messages.Items.Should().NotContain(m => m.Text == "a" || m.Text == "b");
        await ShouldKeepServingAsync(slack);
    }

    [Theory]
    [InlineData("""{"\ud800":1}""")]
    [InlineData("""{"channel":"C1","text":"\udc00"}""")]
    [InlineData("""{"channel":"C1","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"\ud83d"}}]}""")]
    public async Task Lone_surrogate_escapes_in_keys_or_values_are_invalid_json(string json)
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        ShouldBeError(await PostJsonAsync(slack, "chat.postMessage", json), "invalid_json");
        await ShouldKeepServingAsync(slack);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_json_body_is_invalid_json()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        byte[] json = [.. "{\"channel\":\"C1\",\"text\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        ShouldBeError(await PostAsync(slack, "chat.postMessage", json, "application/json; charset=utf-8"), "invalid_json");
        await ShouldKeepServingAsync(slack);
    }

    [Fact]
    public async Task Json_nested_ten_thousand_deep_is_invalid_json()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var body = await PostJsonAsync(slack, "chat.postMessage", "{\"blocks\":" + new string('[', 10_000) + new string(']', 10_000) + "}");

        ShouldBeError(body, "invalid_json");
        await ShouldKeepServingAsync(slack);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'t', (byte)'e', (byte)'x', (byte)'t', (byte)'=', 0xFF })]
    [InlineData(new byte[] { (byte)'t', (byte)'e', (byte)'x', (byte)'t', (byte)'=', (byte)'%', (byte)'F', (byte)'F' })]
    public async Task Invalid_utf8_in_a_form_body_is_invalid_form_data(byte[] form)
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        ShouldBeError(await PostAsync(slack, "chat.postMessage", form, "application/x-www-form-urlencoded"), "invalid_form_data");
        await ShouldKeepServingAsync(slack);
    }

    [Fact]
    public async Task A_stray_percent_in_a_form_body_stays_a_literal_as_on_slack()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var form = Encoding.UTF8.GetBytes($"channel={slack.ChannelId("engineering")}&text=50%+off");

        var body = await PostAsync(slack, "chat.postMessage", form, "application/x-www-form-urlencoded");

        body["ok"]!.GetValue<bool>().Should().BeTrue(body.ToJsonString());
        body["message"]!["text"]!.GetValue<string>().Should().Be("50% off");
    }

    [Theory]
    [InlineData("--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nno closing boundary")]
    [InlineData("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n")]
    [InlineData("not multipart at all")]
    public async Task Broken_multipart_is_invalid_form_data(string multipart)
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        ShouldBeError(await PostAsync(slack, "chat.postMessage", Encoding.UTF8.GetBytes(multipart), "multipart/form-data; boundary=b"), "invalid_form_data");
        await ShouldKeepServingAsync(slack);
    }

    [Fact]
    public async Task Multipart_without_a_boundary_is_invalid_form_data()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        ShouldBeError(await PostAsync(slack, "chat.postMessage", "x"u8.ToArray(), "multipart/form-data"), "invalid_form_data");
    }

    [Fact]
    public async Task Invalid_utf8_in_a_multipart_field_is_invalid_form_data()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        byte[] multipart = [.. "--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n"u8, 0xC3, 0x28, .. "\r\n--b--\r\n"u8];

        ShouldBeError(await PostAsync(slack, "chat.postMessage", multipart, "multipart/form-data; boundary=b"), "invalid_form_data");
        await ShouldKeepServingAsync(slack);
    }

    [Fact]
    public async Task Multipart_file_parts_are_not_arguments()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(slack.ChannelId("engineering")), "channel" },
            { new StringContent("with a file"), "text" },
            { new ByteArrayContent([0xFF, 0x00]), "text", "ignored.bin" },
        };

        var body = JsonNode.Parse(await (await slack.Client.PostAsync("chat.postMessage", content)).Content.ReadAsStringAsync())!;

        body["ok"]!.GetValue<bool>().Should().BeTrue(body.ToJsonString());
        body["message"]!["text"]!.GetValue<string>().Should().Be("with a file");
    }

    [Theory]
    [InlineData("""[{"type":"section","type":"divider"}]""")]
    [InlineData("""[{"type":"section","text":{"type":"mrkdwn","text":"\ud800"}}]""")]
    public async Task Blocks_sent_as_form_text_follow_the_same_json_rules(string blocks)
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        await slack.ErrorAsync("chat.postMessage", "invalid_blocks", ("channel", slack.ChannelId("engineering")), ("blocks", blocks));
        await ShouldKeepServingAsync(slack);
    }
}
