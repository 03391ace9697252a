using System.Diagnostics;
using System.Text;
using Perpetuo.Control.Patches;

namespace Perpetuo.Control.Tests.Patches;

public sealed class PatchFileReaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-patch-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void AFileOfExactlyTheLimitIsReadAndOneByteMoreIsRefused()
    {
        string atLimit = PathOf("at.json");
        File.WriteAllBytes(atLimit, Spaces(PatchFileReader.MaxPatchFileBytes));
        Assert.True(PatchFileReader.TryRead(atLimit, out string text, out string error), error);
        Assert.Equal(PatchFileReader.MaxPatchFileBytes, text.Length);

        string over = PathOf("over.json");
        File.WriteAllBytes(over, Spaces(PatchFileReader.MaxPatchFileBytes + 1));
        Assert.False(PatchFileReader.TryRead(over, out _, out error));
        Assert.Contains("larger than the limit", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "No such file")]
    [InlineData("dir", "directory")]
    [InlineData("/dev/zero", "not a regular file")]
    [InlineData("", "empty")]
    public void WhatIsNotARegularFileIsRefusedWithAReason(string name, string reason)
    {
        Directory.CreateDirectory(PathOf("dir"));
        string path = name.StartsWith('/') || name.Length == 0 ? name : PathOf(name);
        Assert.False(PatchFileReader.TryRead(path, out _, out string error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains("cannot read the patch file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFifoWithNoWriterIsRefusedAtOnceInsteadOfWaitedOn()
    {
        string fifo = PathOf("fifo");
        using (Process mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var clock = Stopwatch.StartNew();
        // A blocking open would never return (no writer): WaitAsync turns that into a TimeoutException.
        (bool ok, string error) = await Task.Run(() => (PatchFileReader.TryRead(fifo, out _, out string e), e)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(ok);
        Assert.Contains("not a regular file", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("SECRET-token-1234 not json at all")]
    [InlineData("{\"modules\": [ {\"type\": SECRET-token-1234")]
    [InlineData("{\"modules\": [{\"type\": \"osc\", \"id\": \"x\", \"params\": {\"freq\": \"SECRET-token-1234\"}}]}")]
    public void ErrorsNeverQuoteTheFilesContentsOnlyPositions(string content)
    {
        string path = PathOf("secret.json");
        File.WriteAllText(path, content);
        PatchException e = Assert.Throws<PatchException>(() => PatchFile.Load(path));
        Assert.DoesNotContain("SECRET", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'S'", e.Message, StringComparison.Ordinal); // how JsonException quotes a bad character
        Assert.Contains("secret.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANotValidJsonErrorGivesTheLineAndByte()
    {
        string path = PathOf("broken.json");
        File.WriteAllText(path, "{\"modules\": [\n  x]}");
        PatchException e = Assert.Throws<PatchException>(() => PatchFile.Load(path));
        Assert.Contains("not valid JSON at line 2, byte 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreRefusedWithoutBeingEchoed()
    {
        string path = PathOf("latin1.json");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("{\"modules\": []} "), 0xFF, 0xFE]);
        Assert.False(PatchFileReader.TryRead(path, out _, out string error));
        Assert.Contains("not UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidPatchFileLoadsAsBefore()
    {
        string path = PathOf("ok.json");
        File.WriteAllText(path, "\uFEFF{\"modules\": [{\"type\": \"osc\", \"id\": \"lead\", \"params\": {\"freq\": 440}}]}");
        PatchSpec patch = PatchFile.Load(path);
        Assert.Equal("lead", Assert.Single(patch.Modules).Id);
    }

    private static byte[] Spaces(int n) => Enumerable.Repeat((byte)' ', n).ToArray();

    public void Dispose() => _dir.Delete(recursive: true);
}
