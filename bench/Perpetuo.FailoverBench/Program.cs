using Perpetuo.FailoverBench;

// Failover harness: runs a real `perpetuo play` into a WAV file, SIGKILLs the active worker (pids from the
// engine's /perpetuo/status, as an outside script would), SIGSTOPs workers, and optionally sends a stream of OSC
// commands; then prints the failover figures and checks the WAV against `perpetuo render --journal` sample for
// sample. Exit status 0 only when it is identical, with 0 underruns, and every accepted command is journaled.
//
//   dotnet run -c Release --project bench/Perpetuo.FailoverBench -- [--kills 10] [--hangs 3] [--interval 1.0]
//       [--commands-per-second 0] [--ring-depth 3] [--dir DIR]
return new Harness(Options.Parse(args)).Run();
