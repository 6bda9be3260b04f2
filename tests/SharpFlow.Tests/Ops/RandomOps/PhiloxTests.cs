using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Tests.Ops.RandomOps;

/// <summary>The generator and distributions against published values.</summary>
public class PhiloxTests
{
    // Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void MatchesRandom123KnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3)
    {
        var p = new Philox(c0, c1, c2, c3, k0, k1);
        Assert.Equal(new PhiloxBlock(r0, r1, r2, r3), p.Next());
    }

    [Fact]
    public void SkipCarriesAcrossWords()
    {
        var p = new Philox(0xffffffffu, 0xffffffffu, 0xffffffffu, 0, 0, 0);
        p.Skip(1);
        Assert.Equal((0u, 0u, 0u, 1u), p.Counter);
        var q = new Philox(5, 0, 0, 0, 0, 0);
        q.Skip(0x1_0000_0003UL);
        Assert.Equal((8u, 1u, 0u, 0u), q.Counter);
    }

    [Fact]
    public void SeedsFillKeyAndHighCounterWords()
    {
        var p = new Philox(0x1_0000_0002UL, 0x3_0000_0004UL);
        Assert.Equal((0u, 0u, 4u, 3u), p.Counter);
    }

    // tf.random.Generator.from_seed(1234) starts Philox at counter (1234, 0, 0, 0), key (0, 0) and fills with
    // the same NormalDistribution<float> and UniformDistribution<float>; its docstring and tests publish these values.
    [Fact]
    public void NormalAndUniformMatchTensorFlowsPublishedDraws()
    {
        var normal = new float[6];
        Distributions.NormalFloat(new Philox(1234, 0, 0, 0, 0, 0), normal);
        Assert.Equal(new[] { 0.9356609f, 1.0854305f, -0.93788373f, -0.50615472f, 1.31697023f, 0.71375787f }, normal);

        var gen = new Philox(1234, 0, 0, 0, 0, 0);
        gen.Skip(6 * 256); // the normal draw reserved 256 blocks per value
        var uniform = new float[3];
        Distributions.UniformFloat(gen, uniform);
        Assert.Equal(new[] { 0.6512613f, 0.9295906f, 0.50873387f }, uniform);
    }

    [Fact]
    public void UniformMapsWordsToTheUnitInterval()
    {
        Assert.Equal(0f, Distributions.Uint32ToFloat(0));
        Assert.Equal(1f - MathF.Pow(2, -23), Distributions.Uint32ToFloat(0xffffffff));
        Assert.Equal(0.0, Distributions.Uint64ToDouble(0, 0));
        Assert.True(Distributions.Uint64ToDouble(0xffffffff, 0xffffffff) < 1.0);
    }
}
