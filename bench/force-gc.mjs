// Preloaded by the memory benches (node --expose-gc --import ./bench/force-gc.mjs …): on SIGUSR2
// the process collects garbage fully and writes process.memoryUsage() to the file named by
// STOCKROOM_BENCH_MEMORY_FILE, so a bench can read the heap of a server it did not build.
// Plain JavaScript, so that it runs the same in front of the compiled build and of tsx.
import { writeFileSync } from "node:fs";
import { getHeapSpaceStatistics, getHeapStatistics } from "node:v8";

const file = process.env.STOCKROOM_BENCH_MEMORY_FILE;
if (file && typeof globalThis.gc === "function") {
  process.on("SIGUSR2", () => {
    // Twice: the first pass runs finalizers whose objects the second one frees.
    globalThis.gc();
    globalThis.gc();
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((s) => [s.space_name, [s.space_size, s.space_used_size, s.physical_space_size]]),
    );
    writeFileSync(
      file,
      JSON.stringify({ ...process.memoryUsage(), heapPhysical: getHeapStatistics().total_physical_size, spaces }),
    );
  });
}
