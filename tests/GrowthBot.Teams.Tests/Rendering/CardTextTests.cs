using GrowthBot.Teams.Rendering;

namespace GrowthBot.Teams.Tests.Rendering;

public sealed class CardTextTests
{
    [Theory]
    [InlineData("plain words, 3.1% & < 5 && x<3", "plain words, 3.1% & < 5 && x<3")]
    [InlineData("<!channel> see <https://evil.example/login|click here>", "\\<!channel> see \\<https://evil.example/login|click here>")]
    [InlineData("<at>Ana</at> <b>bold</b>", "\\<at>Ana\\</at> \\<b>bold\\</b>")]
    [InlineData("&#91;x&#93;(https://evil.example) &amp; &lt;", "\\&#91;x\\&#93;(https://evil.example) \\&amp; \\&lt;")]
    [InlineData("AT&T; R&D", "AT\\&T; R&D")]
    [InlineData("fine\r- injected item\r1. another", "fine\r\\- injected item\r1\\. another")]
    [InlineData("**bold** and _it_", "\\*\\*bold\\*\\* and \\_it\\_")]
    [InlineData("[link](https://example.com)", "\\[link\\](https://example.com)")]
    [InlineData("a \\ b", "a \\\\ b")]
    [InlineData("- first\n- second", "\\- first\n\\- second")]
    [InlineData("  - indented", "  \\- indented")]
    [InlineData("1. first\n12. twelfth", "1\\. first\n12\\. twelfth")]
    [InlineData("−3 pts - not a list, 2.5 not one either", "−3 pts - not a list, 2.5 not one either")]
    [InlineData("-3%", "-3%")]
    public void Escape_LeavesNothingForMarkdownToMisread(string text, string escaped)
    {
        Assert.Equal(escaped, CardText.Escape(text));
    }

    [Fact]
    public void Cut_ShortText_IsUnchanged()
    {
        Assert.Equal("short", CardText.Cut("short", 10));
    }

    [Fact]
    public void Cut_LongText_EndsWithAnEllipsisWithinTheLimit()
    {
        var cut = CardText.Cut("one two three four five", 10);

        Assert.Equal("one two t…", cut);
        Assert.True(cut.Length <= 10);
    }

    [Fact]
    public void Cut_NeverLeavesHalfAnEscapeOrASurrogatePair()
    {
        Assert.Equal("abc…", CardText.Cut("abc\\*def", 5));
        Assert.Equal("ab…", CardText.Cut("ab😀cd", 4));
    }
}
