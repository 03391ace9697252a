using System.Text;

namespace Perpetuo.Dsp.Tests;

/// <summary>A chain probe that counts its calls and, when given a log, writes each one into it ("1 f", "left").</summary>
internal sealed class RecordingProbe(List<string>? log = null) : IChainProbe
{
    public long EnteredCount { get; private set; }

    public long LeftCount { get; private set; }

    public void Entering(int index, ReadOnlySpan<byte> moduleId)
    {
        EnteredCount++;
        log?.Add($"{index} {Encoding.UTF8.GetString(moduleId)}");
    }

    public void Left()
    {
        LeftCount++;
        log?.Add("left");
    }
}
