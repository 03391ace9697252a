namespace Perpetuo.Cli.Demo;

/// <summary>One failover: block <paramref name="Seq"/> was the first played from slot <paramref name="To"/> instead of <paramref name="From"/>.</summary>
internal readonly record struct FailoverMark(long Seq, int From, int To);
