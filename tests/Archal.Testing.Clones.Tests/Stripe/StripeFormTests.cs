using Archal.Testing.Clones.Stripe;

namespace Archal.Testing.Clones.Tests.Stripe;

public class StripeFormTests
{
    [Fact]
    public void Flat_pairs_are_decoded_with_plus_as_space()
    {
        var form = StripeForm.Parse("email=jo%40example.com&name=Jo+Smith");

        form.ToJsonString().Should().Be("""{"email":"jo@example.com","name":"Jo Smith"}""");
    }

    [Fact]
    public void Bracket_keys_nest_into_hashes()
    {
        var form = StripeForm.Parse("metadata[order]=42&metadata[note]=hi&address[line1]=1+Main");

        form.ToJsonString().Should().Be("""{"metadata":{"order":"42","note":"hi"},"address":{"line1":"1 Main"}}""");
    }

    [Fact]
    public void Empty_brackets_append_to_an_array()
    {
        var form = StripeForm.Parse("expand[]=customer&expand[]=latest_charge.customer");

        form.ToJsonString().Should().Be("""{"expand":["customer","latest_charge.customer"]}""");
    }

    [Fact]
    public void Indexed_keys_become_arrays_of_hashes_as_stripe_node_sends_them()
    {
        var form = StripeForm.Parse("items[0][price]=price_a&items[0][quantity]=2&items[1][price]=price_b");

        form.ToJsonString().Should().Be("""{"items":[{"price":"price_a","quantity":"2"},{"price":"price_b"}]}""");
    }

    [Fact]
    public void Rack_style_array_of_hashes_starts_a_new_element_when_a_key_repeats()
    {
        var form = StripeForm.Parse("items[][price]=a&items[][quantity]=1&items[][price]=b");

        form.ToJsonString().Should().Be("""{"items":[{"price":"a","quantity":"1"},{"price":"b"}]}""");
    }

    [Fact]
    public void Encoded_brackets_are_the_same_as_literal_ones()
    {
        var form = StripeForm.Parse("metadata%5Bk%5D=v");

        form.ToJsonString().Should().Be("""{"metadata":{"k":"v"}}""");
    }

    [Fact]
    public void Empty_values_stay_empty_strings_and_bare_keys_are_empty()
    {
        var form = StripeForm.Parse("description=&metadata[k]=&flag");

        form.ToJsonString().Should().Be("""{"description":"","metadata":{"k":""},"flag":""}""");
    }

    [Fact]
    public void Empty_body_and_stray_ampersands_give_no_parameters()
    {
        StripeForm.Parse("").Count.Should().Be(0);
        StripeForm.Parse(null).Count.Should().Be(0);
        StripeForm.Parse("&&a=1&").ToJsonString().Should().Be("""{"a":"1"}""");
    }

    [Fact]
    public void Later_scalar_values_replace_earlier_ones()
    {
        StripeForm.Parse("a=1&a=2").ToJsonString().Should().Be("""{"a":"2"}""");
    }

    [Fact]
    public void Multibyte_utf8_is_decoded()
    {
        StripeForm.Parse("name=Jos%C3%A9")["name"]!.GetValue<string>().Should().Be("José");
    }

    [Theory]
    [InlineData("a=%zz")]
    [InlineData("a=%4")]
    [InlineData("a=%C3%28")]
    [InlineData("a[b=1")]
    [InlineData("a]=1")]
    [InlineData("[a]=1")]
    [InlineData("a[b]c=1")]
    [InlineData("=1")]
    [InlineData("a=1&a[b]=2")]
    [InlineData("a[b]=1&a=2")]
    public void Malformed_input_is_a_400_invalid_request_error(string text)
    {
        var act = () => StripeForm.Parse(text);

        var error = act.Should().Throw<StripeApiException>().Which;
        error.Status.Should().Be(400);
        error.Type.Should().Be("invalid_request_error");
        error.Message.Should().StartWith("Invalid request body");
    }
}
