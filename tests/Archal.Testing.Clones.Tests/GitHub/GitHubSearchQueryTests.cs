using Archal.Testing.Clones.GitHub;

namespace Archal.Testing.Clones.Tests.GitHub;

public class GitHubSearchQueryTests
{
    [Fact]
    public void Parse_splits_free_text_and_qualifiers()
    {
        var query = GitHubSearchQuery.Parse("login bug repo:acme/webapp is:open label:bug");

        query.Terms.Should().Equal("login", "bug");
        query.Qualifiers.Should().Equal(
            new SearchQualifier("repo", "acme/webapp", false),
            new SearchQualifier("is", "open", false),
            new SearchQualifier("label", "bug", false));
    }

    [Fact]
    public void Parse_keeps_quoted_phrases_and_quoted_qualifier_values_whole()
    {
        var query = GitHubSearchQuery.Parse("\"dark mode\" label:\"good first issue\" in:title");

        query.Terms.Should().Equal("dark mode");
        query.Qualifiers.Should().Contain(new SearchQualifier("label", "good first issue", false));
        query.Qualifiers.Should().Contain(new SearchQualifier("in", "title", false));
    }

    [Fact]
    public void Parse_reads_dash_and_NOT_as_negation()
    {
        var query = GitHubSearchQuery.Parse("-label:wontfix NOT author:hubot crash");

        query.Qualifiers.Should().Equal(
            new SearchQualifier("label", "wontfix", true),
            new SearchQualifier("author", "hubot", true));
        query.Terms.Should().Equal("crash");
    }

    [Fact]
    public void Parse_treats_unknown_keys_and_urls_as_free_text()
    {
        var query = GitHubSearchQuery.Parse("foo:bar https://example.com");

        query.Qualifiers.Should().BeEmpty();
        query.Terms.Should().Equal("foo:bar", "https://example.com");
    }

    [Fact]
    public void Parse_of_an_unterminated_quote_takes_the_rest_as_the_phrase()
    {
        GitHubSearchQuery.Parse("\"never closed").Terms.Should().Equal("never closed");
    }

    [Theory]
    [InlineData(5, ">3", true)]
    [InlineData(3, ">3", false)]
    [InlineData(3, ">=3", true)]
    [InlineData(2, "<3", true)]
    [InlineData(3, "<=3", true)]
    [InlineData(4, "3..5", true)]
    [InlineData(6, "3..5", false)]
    [InlineData(100, "10..*", true)]
    [InlineData(7, "7", true)]
    [InlineData(7, "x", false)]
    public void MatchesRange_understands_GitHub_range_syntax(double actual, string range, bool expected)
    {
        GitHubSearchQuery.MatchesRange(actual, range).Should().Be(expected);
    }

    [Theory]
    [InlineData("2024-03-10T12:00:00Z", "<2024-03-11", true)]
    [InlineData("2024-03-10T12:00:00Z", "<2024-03-10", false)]
    [InlineData("2024-03-10T12:00:00Z", ">2024-03-09", true)]
    [InlineData("2024-03-10T12:00:00Z", ">2024-03-10", false)]
    [InlineData("2024-03-10T12:00:00Z", "<=2024-03-10", true)]
    [InlineData("2024-03-10T12:00:00Z", "2024-03-01..2024-03-10", true)]
    [InlineData("2024-03-10T12:00:00Z", "2024-03-10", true)]
    public void MatchesDate_treats_bare_dates_as_whole_days(string actual, string range, bool expected)
    {
        GitHubSearchQuery.MatchesDate(DateTimeOffset.Parse(actual, System.Globalization.CultureInfo.InvariantCulture), range).Should().Be(expected);
    }
}
