using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Tests.Abstractions;

public class FormBodyParserTests
{
    private static JsonObject Nested(string text, BodyParseOptions? options = null)
    {
        FormBodyParser.TryParseNested(Encoding.UTF8.GetBytes(text), options, out var tree, out var error).Should().BeTrue(error?.ToString());
        return tree;
    }

    private static BodyParseError RefusedNested(byte[] bytes, BodyParseOptions? options = null)
    {
        FormBodyParser.TryParseNested(bytes, options, out var tree, out var error).Should().BeFalse();
        tree.Count.Should().Be(0);
        return error!;
    }

    private static BodyParseError RefusedNested(string text, BodyParseOptions? options = null) => RefusedNested(Encoding.UTF8.GetBytes(text), options);

    public class Pairs
    {
        [Fact]
        public void Pairs_keep_their_order_and_repeats_with_plus_as_space()
        {
            FormBodyParser.TryParsePairs("a=1&b=Jo+Smith&a=2&users[]=U1"u8, null, out var pairs, out _).Should().BeTrue();

            pairs.Should().Equal(new("a", "1"), new("b", "Jo Smith"), new("a", "2"), new KeyValuePair<string, string>("users[]", "U1"));
        }

        [Fact]
        public void Bare_keys_and_empty_values_are_empty_strings_and_stray_ampersands_are_skipped()
        {
            FormBodyParser.TryParsePairs("&&flag&x=&&"u8, null, out var pairs, out _).Should().BeTrue();

            pairs.Should().Equal(new("flag", ""), new KeyValuePair<string, string>("x", ""));
        }

        [Fact]
        public void The_empty_body_has_no_pairs()
        {
            FormBodyParser.TryParsePairs(ReadOnlySpan<byte>.Empty, null, out var pairs, out _).Should().BeTrue();
            pairs.Should().BeEmpty();
            FormBodyParser.TryParsePairs((string?)null, null, out pairs, out _).Should().BeTrue();
            pairs.Should().BeEmpty();
        }

        [Fact]
        public void Percent_escapes_decode_as_utf8()
        {
            FormBodyParser.TryParsePairs("name=Jos%C3%A9+%F0%9F%98%80&k%5B0%5D=%2b"u8, null, out var pairs, out _).Should().BeTrue();

            pairs.Should().Equal(new("name", "José 😀"), new KeyValuePair<string, string>("k[0]", "+"));
        }

        [Theory]
        [InlineData("a=%zz", 2)]
        [InlineData("a=%4", 2)]
        [InlineData("a=1&b=50%", 8)]
        [InlineData("%=1", 0)]
        public void A_stray_percent_is_malformed_when_strict(string text, int offset)
        {
            FormBodyParser.TryParsePairs(text, null, out var pairs, out var error).Should().BeFalse();

            pairs.Should().BeEmpty();
            error!.Kind.Should().Be(BodyParseErrorKind.Malformed);
            error.Offset.Should().Be(offset);
            error.Message.Should().StartWith("invalid percent-encoding in ");
        }

        [Fact]
        public void A_stray_percent_is_a_literal_when_lenient()
        {
            FormBodyParser.TryParsePairs("text=50%+off&b=%zz%4", new BodyParseOptions { StrictPercentEncoding = false }, out var pairs, out _).Should().BeTrue();

            pairs.Should().Equal(new("text", "50% off"), new KeyValuePair<string, string>("b", "%zz%4"));
        }

        [Theory]
        [InlineData("a=%C3%28")]
        [InlineData("a=%FF")]
        [InlineData("a=%ED%A0%80")] // a UTF-8-encoded surrogate
        [InlineData("a=%C3")]
        public void Escapes_that_decode_to_invalid_utf8_are_refused_naming_the_key(string text)
        {
            FormBodyParser.TryParsePairs(text, new BodyParseOptions { StrictPercentEncoding = false }, out _, out var error).Should().BeFalse();

            error!.Kind.Should().Be(BodyParseErrorKind.InvalidUtf8);
            error.Key.Should().Be("a");
            error.Message.Should().Be("the value of 'a' at offset 2 does not decode to valid UTF-8.");
        }

        [Fact]
        public void Raw_invalid_utf8_bytes_are_refused()
        {
            FormBodyParser.TryParsePairs([(byte)'a', (byte)'=', 0xFF], null, out _, out var error).Should().BeFalse();
            error!.Kind.Should().Be(BodyParseErrorKind.InvalidUtf8);

            FormBodyParser.TryParsePairs([0xC3, (byte)'=', (byte)'1'], null, out _, out error).Should().BeFalse();
            error!.Message.Should().Be("a parameter name at offset 0 does not decode to valid UTF-8.");
        }

        [Fact]
        public void More_pairs_than_the_limit_are_refused()
        {
            var text = string.Join('&', Enumerable.Range(0, 5).Select(i => $"k{i}=v"));

            FormBodyParser.TryParsePairs(text, new BodyParseOptions { MaxParts = 4 }, out _, out var error).Should().BeFalse();

            error!.Kind.Should().Be(BodyParseErrorKind.TooManyParts);
            error.Message.Should().Be("the body has more than 4 parameters.");
            FormBodyParser.TryParsePairs(text, new BodyParseOptions { MaxParts = 5 }, out _, out _).Should().BeTrue();
        }

        [Fact]
        public void A_key_longer_than_the_limit_is_refused()
        {
            FormBodyParser.TryParsePairs(new string('k', 4097) + "=1", null, out _, out var error).Should().BeFalse();

            error!.Kind.Should().Be(BodyParseErrorKind.KeyTooLong);
            error.Key.Should().Be(new string('k', 64) + "…");
            FormBodyParser.TryParsePairs(new string('k', 4096) + "=1", null, out _, out _).Should().BeTrue();
        }
    }

    public class Nesting
    {
        [Fact]
        public void Bracket_keys_nest_into_hashes()
        {
            Nested("metadata[order]=42&metadata[note]=hi&address[line1]=1+Main").ToJsonString()
                .Should().Be("""{"metadata":{"order":"42","note":"hi"},"address":{"line1":"1 Main"}}""");
        }

        [Fact]
        public void Empty_brackets_append_to_an_array()
        {
            Nested("expand[]=customer&expand[]=latest_charge.customer").ToJsonString()
                .Should().Be("""{"expand":["customer","latest_charge.customer"]}""");
        }

        [Fact]
        public void Indexed_keys_0_to_n_become_arrays_of_hashes()
        {
            Nested("items[0][price]=price_a&items[0][quantity]=2&items[1][price]=price_b").ToJsonString()
                .Should().Be("""{"items":[{"price":"price_a","quantity":"2"},{"price":"price_b"}]}""");
        }

        [Fact]
        public void Indexed_keys_with_a_gap_stay_a_hash()
        {
            Nested("items[0]=a&items[2]=b").ToJsonString().Should().Be("""{"items":{"0":"a","2":"b"}}""");
        }

        [Fact]
        public void Rack_style_array_of_hashes_starts_a_new_element_when_a_key_repeats()
        {
            Nested("items[][price]=a&items[][quantity]=1&items[][price]=b").ToJsonString()
                .Should().Be("""{"items":[{"price":"a","quantity":"1"},{"price":"b"}]}""");
        }

        [Fact]
        public void Empty_values_stay_empty_strings()
        {
            Nested("description=&metadata[k]=&flag").ToJsonString().Should().Be("""{"description":"","metadata":{"k":""},"flag":""}""");
        }

        [Fact]
        public void Encoded_brackets_are_the_same_as_literal_ones()
        {
            Nested("metadata%5Bk%5D=v").ToJsonString().Should().Be("""{"metadata":{"k":"v"}}""");
        }

        [Theory]
        [InlineData("a[b=1", BodyParseErrorKind.Malformed)]
        [InlineData("a]=1", BodyParseErrorKind.Malformed)]
        [InlineData("[a]=1", BodyParseErrorKind.Malformed)]
        [InlineData("a[b]c=1", BodyParseErrorKind.Malformed)]
        [InlineData("a[[b]]=1", BodyParseErrorKind.Malformed)]
        [InlineData("=1", BodyParseErrorKind.Malformed)]
        [InlineData("a=1&a[b]=2", BodyParseErrorKind.Conflict)]
        [InlineData("a[b]=1&a=2", BodyParseErrorKind.Conflict)]
        public void Malformed_and_conflicting_keys_are_refused(string text, BodyParseErrorKind kind)
        {
            RefusedNested(text).Kind.Should().Be(kind);
        }

        [Fact]
        public void A_key_at_the_depth_limit_parses()
        {
            var key = "a" + string.Concat(Enumerable.Repeat("[a]", 31));

            var tree = Nested(key + "=1");

            var node = (JsonNode)tree;
            for (var i = 0; i < 32; i++)
            {
                node = node["a"]!;
            }

            node.GetValue<string>().Should().Be("1");
        }

        [Fact]
        public void A_thousand_deep_metadata_key_is_refused_as_too_deep()
        {
            var key = "metadata" + string.Concat(Enumerable.Repeat("[a]", 1000));

            var error = RefusedNested(key + "=1");

            error.Kind.Should().Be(BodyParseErrorKind.TooDeep);
            error.Key.Should().Be(key[..64] + "…");
            error.Message.Should().Be($"the parameter name '{key[..64]}…' nests deeper than 32 levels.");
        }

        [Fact]
        public void A_150_kb_nested_key_is_refused_quickly()
        {
            var text = "zzz" + string.Concat(Enumerable.Repeat("[a]", 50_000)) + "=1";
            var clock = Stopwatch.StartNew();

            var error = RefusedNested(text);

            error.Kind.Should().Be(BodyParseErrorKind.KeyTooLong);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        }

        [Fact]
        public void A_150_kb_nested_key_is_refused_by_depth_alone_when_keys_may_be_long()
        {
            var text = "zzz" + string.Concat(Enumerable.Repeat("[a]", 50_000)) + "=1";
            var clock = Stopwatch.StartNew();

            var error = RefusedNested(text, new BodyParseOptions { MaxKeyLength = int.MaxValue });

            error.Kind.Should().Be(BodyParseErrorKind.TooDeep);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        }

        [Fact]
        public void Many_nested_keys_under_the_limits_stay_fast()
        {
            var text = string.Join('&', Enumerable.Range(0, 4000).Select(i => $"items[{i}][price_data][product_data][metadata][k]=v"));
            var clock = Stopwatch.StartNew();

            var tree = Nested(text);

            tree["items"]!.AsArray().Count.Should().Be(4000);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        }

        [Fact]
        public void Invalid_utf8_in_a_nested_value_is_refused()
        {
            RefusedNested("metadata[k]=%C3%28").Should().Be(
                new BodyParseError(BodyParseErrorKind.InvalidUtf8, "the value of 'metadata[k]' at offset 12 does not decode to valid UTF-8.")
                {
                    Key = "metadata[k]",
                    Offset = 12,
                });
        }

        [Fact]
        public void The_tree_is_never_deep_enough_to_overflow_deep_clone()
        {
            var key = "a" + string.Concat(Enumerable.Repeat("[0]", 31));

            var clone = Nested(key + "=1").DeepClone();

            clone.ToJsonString().Should().StartWith("""{"a":[[[""");
        }
    }
}
