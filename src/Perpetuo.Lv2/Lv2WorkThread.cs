namespace Perpetuo.Lv2;

/// <summary>
/// The one thread of a process that calls plugins' work() (the LV2 worker's non-real-time side), for every instance
/// that has a worker: woken by each request, it does each instance's oldest request in turn until none is left.
/// </summary>
/// <remarks>
/// Design: one thread, not one per instance: work is rare (a file to load, a model to rebuild) and LV2 forbids two
/// calls of one instance's work() at once anyway. Its pace never decides anything audible: a response is delivered
/// at the block its request fixed (<see cref="Lv2Worker"/>), and the render thread does a due request itself if this
/// thread has not begun it. Normal priority, a background thread: below the render thread, which may wait for it.
/// Thread-safe.
/// </remarks>
internal static class Lv2WorkThread
{
    private static readonly Lock Gate = new();
    private static readonly List<Lv2Worker> Workers = [];
    private static readonly SemaphoreSlim Requests = new(0, int.MaxValue);
    private static Thread? s_thread;

    /// <summary>Adds an instance's worker (the thread starts with the first).</summary>
    public static void Register(Lv2Worker worker)
    {
        lock (Gate)
        {
            Workers.Add(worker);
            if (s_thread == null)
            {
                s_thread = new Thread(Loop) { IsBackground = true, Name = "lv2 worker" };
                s_thread.Start();
            }
        }
    }

    /// <summary>Removes an instance's worker; returns once the thread is not inside its work() (it works under the gate).</summary>
    public static void Unregister(Lv2Worker worker)
    {
        lock (Gate)
        {
            Workers.Remove(worker);
        }
    }

    /// <summary>A request was made. Any thread; allocation-free.</summary>
    public static void Wake() => Requests.Release();

    private static void Loop()
    {
        while (true)
        {
            Requests.Wait();
            bool any = true;
            while (any)
            {
                any = false;
                lock (Gate) // held while a work() runs, so an instance is never freed under it
                {
                    foreach (Lv2Worker w in Workers)
                    {
                        any |= w.Work();
                    }
                }
            }
        }
    }
}
