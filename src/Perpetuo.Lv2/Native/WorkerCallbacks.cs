using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// The C entry points of the worker: <c>LV2_Worker_Status schedule_work(LV2_Worker_Schedule_Handle, uint32_t size,
/// const void* data)</c> (the handle a GCHandle of an <see cref="Lv2Worker"/>) and <c>LV2_Worker_Status
/// respond(LV2_Worker_Respond_Handle, uint32_t size, const void* data)</c> (a GCHandle of the request's slot).
/// </summary>
/// <remarks>
/// UnmanagedCallersOnly, addressed as <see cref="UridCallbacks"/> are. Nothing may unwind into the plugin's C
/// frames: an exception is LV2_WORKER_ERR_UNKNOWN. Allocation-free (schedule_work is called from run()).
/// </remarks>
internal static class WorkerCallbacks
{
    internal static IntPtr ScheduleFunction { get; } = Of(nameof(Schedule));

    internal static IntPtr RespondFunction { get; } = Of(nameof(Respond));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Schedule(IntPtr handle, uint size, IntPtr data)
    {
        try
        {
            return GCHandle.FromIntPtr(handle).Target is Lv2Worker worker ? worker.TrySchedule(size, data) : Lv2Worker.ErrorUnknown;
        }
#pragma warning disable CA1031 // nothing may unwind into the plugin's C frames
        catch (Exception)
#pragma warning restore CA1031
        {
            return Lv2Worker.ErrorUnknown;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Respond(IntPtr handle, uint size, IntPtr data)
    {
        try
        {
            return GCHandle.FromIntPtr(handle).Target is Lv2Worker.Slot slot ? slot.Owner.Respond(slot, size, data) : Lv2Worker.ErrorUnknown;
        }
#pragma warning disable CA1031 // as above
        catch (Exception)
#pragma warning restore CA1031
        {
            return Lv2Worker.ErrorUnknown;
        }
    }

    private static IntPtr Of(string name) => FunctionPointers.Of(typeof(WorkerCallbacks), name);
}
