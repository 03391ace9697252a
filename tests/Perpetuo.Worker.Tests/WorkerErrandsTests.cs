namespace Perpetuo.Worker.Tests;

public sealed class WorkerErrandsTests
{
    [Fact]
    public void ErrandsRunInOrderOnTheErrandThreadNeverOnThePoster()
    {
        using var errands = new WorkerErrands();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(int Order, string? Thread, bool Background)>();
        for (int i = 0; i < 100; i++)
        {
            int order = i;
            errands.Post(() => seen.Enqueue((order, Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground)));
        }

        Assert.True(SpinWait.SpinUntil(() => errands.Done == 100, TimeSpan.FromSeconds(10)), $"{errands.Done} of 100 errands done");
        Assert.Equal(Enumerable.Range(0, 100), seen.Select(s => s.Order));
        Assert.All(seen, s => Assert.Equal(("perpetuo-errands", true), (s.Thread, s.Background)));
    }

    [Fact]
    public void AnErrandThatThrowsIsItsOwnLoss()
    {
        using var errands = new WorkerErrands();
        bool after = false;
        errands.Post(() => throw new IOException("stderr is closed"));
        errands.Post(() => Volatile.Write(ref after, true));

        Assert.True(SpinWait.SpinUntil(() => errands.Done == 2, TimeSpan.FromSeconds(10)), $"{errands.Done} of 2 errands done");
        Assert.True(Volatile.Read(ref after));
    }

    [Fact]
    public void AnErrandPostedAfterDisposeIsNeverRun()
    {
        var errands = new WorkerErrands();
        errands.Dispose();
        bool ran = false;
        errands.Post(() => ran = true);
        Thread.Sleep(200); // the thread is gone or going: nothing it could still run is queued before the stop
        Assert.False(ran);
    }
}
