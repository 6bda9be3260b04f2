using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops.Strings;

/// <summary>RegexFullMatch and StaticRegexFullMatch, with the cases of TensorFlow's regex_full_match_op_test.py.</summary>
public class RegexFullMatchTests
{
    public static TheoryData<bool> Static => new(true, false);

    private static Tensor Match(TensorLike input, string pattern, bool isStatic) =>
        isStatic ? tf.strings.regex_full_match(input, pattern) : tf.strings.regex_full_match(input, tf.constant(pattern));

    [Theory]
    [MemberData(nameof(Static))]
    public void MatchesAsTensorFlowsTestsExpect(bool isStatic)
    {
        using var g = TestGraph.Enter();
        Assert.Equal([true, false], g.Eval(Match(new[] { "abaaba", "abcdabcde" }, "a.*a", isStatic)).ToArray<bool>());
        var twoDims = g.Eval(Match(tf.constant(NDArray.FromStrings(["abaaba", "abcdabcde", "acdcba", "ebcda"], new Shape(2, 2))), "a.*a", isStatic));
        Assert.Equal(new Shape(2, 2), twoDims.shape);
        Assert.Equal([true, false, true, false], twoDims.ToArray<bool>());
        Assert.Equal([false, false], g.Eval(Match(new[] { "abc", "1" }, "", isStatic)).ToArray<bool>());
        // A full match: "$" does not let a trailing newline through; RE2's named groups are accepted.
        Assert.Equal([true, false], g.Eval(Match(new[] { "abc", "abc\n" }, "abc$", isStatic)).ToArray<bool>());
        Assert.Equal([true, false], g.Eval(Match(new[] { "2024-01", "24-1" }, @"(?P<year>\d{4})-(?P<month>\d\d)", isStatic)).ToArray<bool>());
        Assert.Equal(isStatic ? "StaticRegexFullMatch" : "RegexFullMatch", Match("x", "x", isStatic).op.type);
    }

    [Theory]
    [InlineData("A[", "Invalid pattern: A[")]
    [InlineData("a(?=b)", "invalid perl operator: (?=")]
    [InlineData(@"(a)\1", @"invalid escape sequence: \1")]
    public void PatternsRE2RefusesAreInvalidArgumentErrorsNamingTheOp(string pattern, string message)
    {
        foreach (var isStatic in new[] { true, false })
        {
            using var g = TestGraph.Enter();
            var op = isStatic ? tf.strings.regex_full_match(new[] { "abc" }, pattern, name: "match") : tf.strings.regex_full_match(new[] { "abc" }, tf.constant(pattern), name: "match");
            var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(op));
            Assert.Contains(message, e.Message);
            Assert.Contains("match", e.Message);
        }
    }

    [Fact]
    public void ANonScalarPatternAndANonStringInputAreRefused()
    {
        using var g = TestGraph.Enter();
        Assert.Contains("rank 0", Assert.Throws<ValueError>(() => tf.strings.regex_full_match(new[] { "a" }, tf.constant(new[] { "a", "b" }), name: "m")).Message);
        Assert.Throws<TypeError>(() => tf.strings.regex_full_match(tf.constant(1), "a"));
        var p = tf.placeholder(tf.@string);
        var e = Assert.Throws<InvalidArgumentError>(() => g.Eval(tf.strings.regex_full_match(new[] { "a" }, p), new FeedDict { [p] = NDArray.FromStrings(["a", "b"]) }));
        Assert.Contains("Pattern must be scalar", e.Message);
    }
}
