using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Tests.Abstractions;

public class JsonBodyParserTests
{
    private static BodyParseError Refused(string json, BodyParseOptions? options = null) => Refused(Encoding.UTF8.GetBytes(json), options);

    private static BodyParseError Refused(byte[] bytes, BodyParseOptions? options = null)
    {
        JsonBodyParser.TryParse(bytes, options ?? BodyParseOptions.Default, out var node, out var error).Should().BeFalse();
        node.Should().BeNull();
        return error!;
    }

    [Fact]
    public void An_object_parses_with_the_types_json_gives_it()
    {
        JsonBodyParser.TryParse("""{"title":"a","n":1.50,"ok":true,"tags":["x"],"none":null}"""u8, out var node, out var error).Should().BeTrue();

        error.Should().BeNull();
        node!.ToJsonString().Should().Be("""{"title":"a","n":1.50,"ok":true,"tags":["x"],"none":null}""");
        node["n"]!.GetValue<decimal>().Should().Be(1.5m);
    }

    [Fact]
    public void The_null_literal_parses_to_a_null_node()
    {
        JsonBodyParser.TryParse("null"u8, out var node, out _).Should().BeTrue();

        node.Should().BeNull();
    }

    [Fact]
    public void Paired_surrogate_escapes_and_raw_multibyte_text_are_accepted()
    {
        JsonBodyParser.TryParse("""{"e":"\ud83d\ude00","j":"José 😀"}"""u8, out var node, out _).Should().BeTrue();

        node!["e"]!.GetValue<string>().Should().Be("😀");
        node["j"]!.GetValue<string>().Should().Be("José 😀");
    }

    [Fact]
    public void Duplicate_keys_are_refused_naming_the_key()
    {
        var error = Refused("""{"title":"a","title":"b"}""");

        error.Kind.Should().Be(BodyParseErrorKind.DuplicateKey);
        error.Key.Should().Be("title");
        error.Offset.Should().Be(13);
        error.Message.Should().Be("the property 'title' is given twice in one object (at offset 13).");
    }

    [Fact]
    public void Duplicate_keys_are_compared_after_unescaping()
    {
        Refused("""{"a":1,"\u0061":2}""").Kind.Should().Be(BodyParseErrorKind.DuplicateKey);
    }

    [Fact]
    public void Duplicate_keys_in_a_nested_object_are_refused()
    {
        Refused("""{"a":{"x":1,"y":2,"x":3}}""").Key.Should().Be("x");
    }

    [Fact]
    public void The_same_key_in_sibling_objects_is_not_a_duplicate()
    {
        JsonBodyParser.TryParse("""{"a":{"x":1},"b":{"x":2},"c":[{"x":1},{"x":2}]}"""u8, out _, out var error).Should().BeTrue();
        error.Should().BeNull();
    }

    [Theory]
    [InlineData("""{"\ud800":1}""")]
    [InlineData("""{"a\udc00b":1}""")]
    public void A_lone_surrogate_in_a_key_is_refused(string json)
    {
        var error = Refused(json);

        error.Kind.Should().Be(BodyParseErrorKind.LoneSurrogate);
        error.Message.Should().StartWith("a property name at offset 1");
    }

    [Theory]
    [InlineData("""{"title":"\ud800"}""")]
    [InlineData("""{"title":"x\udfffy"}""")]
    [InlineData("""["\ud83d"]""")]
    [InlineData("""{"title":"\ude00\ud83d"}""")]
    public void A_lone_surrogate_in_a_value_is_refused(string json)
    {
        Refused(json).Kind.Should().Be(BodyParseErrorKind.LoneSurrogate);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xFF, (byte)'"', (byte)'}' }, 6)]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' }, 2)]
    [InlineData(new byte[] { (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' }, 1)] // a surrogate encoded as UTF-8 (CESU)
    public void Invalid_utf8_is_refused_with_its_offset(byte[] bytes, int offset)
    {
        var error = Refused(bytes);

        error.Kind.Should().Be(BodyParseErrorKind.InvalidUtf8);
        error.Offset.Should().Be(offset);
    }

    [Fact]
    public void Nesting_at_the_limit_parses()
    {
        var json = new string('[', 32) + new string(']', 32);

        JsonBodyParser.TryParse(Encoding.UTF8.GetBytes(json), out var node, out _).Should().BeTrue();
        node.Should().BeOfType<JsonArray>();
    }

    [Fact]
    public void Nesting_past_the_limit_is_refused()
    {
        var error = Refused("{\"a\":" + new string('[', 32) + new string(']', 32) + "}");

        error.Kind.Should().Be(BodyParseErrorKind.TooDeep);
        error.Message.Should().Be("the body nests deeper than 32 levels (at offset 36).");
    }

    [Fact]
    public void A_hundred_thousand_levels_are_refused_quickly_without_recursion()
    {
        var json = new string('[', 100_000) + new string(']', 100_000);
        var clock = Stopwatch.StartNew();

        Refused(json).Kind.Should().Be(BodyParseErrorKind.TooDeep);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void The_depth_limit_is_an_option()
    {
        Refused("""{"a":{"b":1}}""", new BodyParseOptions { MaxDepth = 1 }).Kind.Should().Be(BodyParseErrorKind.TooDeep);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"a":1,}""")]
    [InlineData("""{"a":1} {"b":2}""")]
    [InlineData("""{"a":1} x""")]
    [InlineData("/* c */ {}")]
    [InlineData("""{"a":01}""")]
    [InlineData("{")]
    public void Malformed_json_is_refused_with_a_position(string json)
    {
        var error = Refused(json);

        error.Kind.Should().Be(BodyParseErrorKind.Malformed);
        error.Message.Should().Contain("(line 1, byte ");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t")]
    public void A_blank_body_is_malformed_and_callers_can_tell_it_apart(string json)
    {
        JsonBodyParser.IsBlank(Encoding.UTF8.GetBytes(json)).Should().BeTrue();
        Refused(json).Message.Should().Be("the body is empty.");
    }

    [Fact]
    public void TryParseObject_tells_an_unparsable_body_from_one_that_is_not_an_object()
    {
        JsonBodyParser.TryParseObject("""{"a":1}"""u8, null, out var obj, out var error).Should().BeTrue();
        obj!["a"]!.GetValue<int>().Should().Be(1);

        JsonBodyParser.TryParseObject("[1]"u8, null, out obj, out error).Should().BeFalse();
        obj.Should().BeNull();
        error.Should().BeNull("the body parsed; it is just not an object");

        JsonBodyParser.TryParseObject("[1"u8, null, out obj, out error).Should().BeFalse();
        error!.Kind.Should().Be(BodyParseErrorKind.Malformed);
    }

    [Fact]
    public void A_huge_duplicate_key_is_quoted_shortened()
    {
        var key = new string('k', 10_000);

        var error = Refused($$"""{"{{key}}":1,"{{key}}":2}""");

        error.Key.Should().Be(new string('k', 64) + "…");
        error.Message.Length.Should().BeLessThan(200);
    }
}
