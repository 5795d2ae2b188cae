// Where a server's CPU went, from the .cpuprofile that node --cpu-prof wrote: self time per package
// (or per source file of ours), and the costliest functions, idle time left out.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type CpuProfile = {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** What a frame belongs to: an npm package, one of our files (src/…), a node: module, or V8's own (GC, program). */
function owner({ url, functionName }: CallFrame): string {
  if (!url) return functionName || "(anonymous)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const ours = /\/(src\/.+)$/.exec(url)?.[1];
  if (ours) return ours.replace(/\.[jt]s$/, "");
  return url.startsWith("node:") ? url : path.basename(url);
}

/**
 * The summary of the main thread's profile in `dir` (the largest file: the main thread's), counting
 * only samples taken `skipSeconds` or more after the process started (start-up and warm-up left out).
 */
export function summarizeCpuProfile(dir: string, { skipSeconds = 0, top = 15 } = {}): string {
  const files = readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
  const largest = files
    .map((name) => ({ name, size: readFileSync(path.join(dir, name)).length }))
    .sort((a, b) => b.size - a.size)[0];
  if (!largest) return `  no .cpuprofile in ${dir}`;
  const profile = JSON.parse(readFileSync(path.join(dir, largest.name), "utf8")) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let time = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    time += delta;
    const frame = frames.get(id);
    if (!frame || frame.functionName === "(idle)" || time - profile.startTime < skipSeconds * 1e6) return;
    total += delta;
    const who = owner(frame);
    byOwner.set(who, (byOwner.get(who) ?? 0) + delta);
    const fn = `${who} ${frame.functionName || "(anonymous)"}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
  });
  const share = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join("\n    ");
  return [
    `  ${(total / 1e6).toFixed(2)} s of CPU sampled (${largest.name})`,
    `  by package or file:\n    ${share(byOwner)}`,
    `  by function:\n    ${share(byFunction)}`,
  ].join("\n");
}
