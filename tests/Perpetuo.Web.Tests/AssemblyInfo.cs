// Some of these tests run real engines with real worker processes, and a browser, on a 2-core machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
