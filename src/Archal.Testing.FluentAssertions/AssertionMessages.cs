using FluentAssertions.Execution;

namespace Archal.Testing.FluentAssertions;

/// <summary>Fails the current assertion with a prebuilt message (templates keep their literal braces).</summary>
internal static class AssertionMessages
{
    private const string Reason = "\u0001reason\u0001";

    /// <summary>
    /// Fails with <paramref name="message"/>, where <c>{reason}</c> marks where the because-clause goes.
    /// Every other brace is literal (route templates like <c>{owner}</c>).
    /// </summary>
    public static void Fail(string message, string because, object[] becauseArgs)
    {
        var escaped = message.Replace("{reason}", Reason, StringComparison.Ordinal)
            .Replace("{", "{{", StringComparison.Ordinal)
            .Replace("}", "}}", StringComparison.Ordinal)
            .Replace(Reason, "{reason}", StringComparison.Ordinal);
        Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(escaped);
    }
}
