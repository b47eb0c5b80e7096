using System.Text;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Tests.Abstractions;

public class MultipartBodyParserTests
{
    private const string Boundary = "XyZ";

    private static string Part(string name, string value, string? extraHeaders = null) =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n{extraHeaders}\r\n{value}\r\n";

    private static byte[] Body(params string[] parts) => Encoding.UTF8.GetBytes(string.Concat(parts) + $"--{Boundary}--\r\n");

    private static BodyParseError Refused(byte[] body, BodyParseOptions? options = null)
    {
        MultipartBodyParser.TryParse(body, Boundary, options, out var parts, out var error).Should().BeFalse();
        parts.Should().BeEmpty();
        return error!;
    }

    [Fact]
    public void Fields_parse_to_names_and_text_values()
    {
        var body = Body(Part("channel", "C1"), Part("text", "José\r\nline two"), Part("empty", ""));

        MultipartBodyParser.TryParse(body, Boundary, null, out var parts, out var error).Should().BeTrue(error?.ToString());

        parts.Select(p => (p.Name, p.Value)).Should().Equal(("channel", "C1"), ("text", "José\r\nline two"), ("empty", ""));
        parts.Should().OnlyContain(p => !p.IsFile);
    }

    [Fact]
    public void A_preamble_and_an_epilogue_are_ignored()
    {
        var body = Encoding.UTF8.GetBytes("preamble\r\n" + Part("a", "1") + $"--{Boundary}--\r\nepilogue");

        MultipartBodyParser.TryParse(body, Boundary, null, out var parts, out _).Should().BeTrue();

        parts.Should().ContainSingle().Which.Value.Should().Be("1");
    }

    [Fact]
    public void A_file_part_keeps_its_bytes_uninspected()
    {
        var head = Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        var tail = Encoding.UTF8.GetBytes($"\r\n--{Boundary}--\r\n");
        byte[] body = [.. head, 0xFF, 0x00, 0xC3, .. tail];

        MultipartBodyParser.TryParse(body, Boundary, null, out var parts, out _).Should().BeTrue();

        var file = parts.Should().ContainSingle().Which;
        file.IsFile.Should().BeTrue();
        file.FileName.Should().Be("a.bin");
        file.ContentType.Should().Be("application/octet-stream");
        file.Value.Should().BeNull();
        file.Content.ToArray().Should().Equal(0xFF, 0x00, 0xC3);
    }

    [Fact]
    public void Invalid_utf8_in_a_field_value_is_refused_naming_the_field()
    {
        var head = Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n");
        byte[] body = [.. head, 0xC3, 0x28, .. Encoding.UTF8.GetBytes($"\r\n--{Boundary}--\r\n")];

        var error = Refused(body);

        error.Kind.Should().Be(BodyParseErrorKind.InvalidUtf8);
        error.Key.Should().Be("text");
    }

    [Fact]
    public void More_parts_than_the_limit_are_refused()
    {
        var body = Body([.. Enumerable.Range(0, 5).Select(i => Part($"k{i}", "v"))]);

        Refused(body, new BodyParseOptions { MaxParts = 4 }).Kind.Should().Be(BodyParseErrorKind.TooManyParts);
        MultipartBodyParser.TryParse(body, Boundary, new BodyParseOptions { MaxParts = 5 }, out _, out _).Should().BeTrue();
    }

    [Fact]
    public void A_field_name_longer_than_the_limit_is_refused()
    {
        Refused(Body(Part(new string('n', 4097), "v"))).Kind.Should().Be(BodyParseErrorKind.KeyTooLong);
    }

    [Theory]
    [InlineData("no boundary at all")]
    [InlineData("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue without a closing delimiter")]
    [InlineData("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ")]
    [InlineData("--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--")]
    [InlineData("--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--")]
    [InlineData("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--XyZ--")]
    [InlineData("--XyZ\r\nno colon here\r\n\r\n1\r\n--XyZ--")]
    [InlineData("--XyZjunk\r\n")]
    public void Broken_framing_is_malformed(string text)
    {
        Refused(Encoding.UTF8.GetBytes(text)).Kind.Should().Be(BodyParseErrorKind.Malformed);
    }

    [Fact]
    public void Headers_that_never_end_are_refused()
    {
        var body = Encoding.UTF8.GetBytes($"--{Boundary}\r\nX-Long: " + new string('x', 20_000) + "\r\n\r\n1\r\n--XyZ--");

        Refused(body).Message.Should().Contain("no end to its headers within 16384 bytes");
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=XyZ", "XyZ")]
    [InlineData("multipart/form-data; boundary=\"a b\"", "a b")]
    [InlineData("Multipart/Form-Data; charset=utf-8; boundary=----WebKitFormBoundary7MA4", "----WebKitFormBoundary7MA4")]
    public void The_boundary_is_read_from_the_content_type(string contentType, string boundary)
    {
        MultipartBodyParser.TryGetBoundary(contentType, out var found).Should().BeTrue();
        found.Should().Be(boundary);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/mixed; boundary=x")]
    [InlineData("application/x-www-form-urlencoded")]
    public void A_content_type_without_a_form_data_boundary_has_none(string? contentType)
    {
        MultipartBodyParser.TryGetBoundary(contentType, out _).Should().BeFalse();
    }
}
