// bench:realtime's subscribers: one process holding every client socket (real `ws` clients), apart
// from the server it measures. It opens N sockets, waits for each one's `live` frame, then notes
// when each stock event arrives on each socket (the event told apart by its stock `version`), and
// reports latency from the t0 the server side took (wall clock, shared by processes on one machine).
// Arrival is stamped first thing in the message handler, and the frame is not parsed (a regex
// finds the version), so the figure is the server's and the loopback's, as little as possible this process's.
import { WebSocket } from "ws";
import { answerParent, wallClock } from "./realtime-ipc.js";

let sockets: WebSocket[] = [];
let closes = new Map<number, number>();
/** Per socket, per expected event (index = version - firstVersion): when it arrived, NaN until then. */
let arrivals: Float64Array[] = [];
let firstVersion = 0;
let expectedEvents = 0;
let delivered = 0;
let duplicates = 0;
let strays = 0;
/** The first event frame received, as sent: the payload the bare baseline broadcasts. */
let sample: string | undefined;

const versionOf = /"version":(\d+)/;

function onFrame(index: number, data: Buffer) {
  const at = wallClock();
  const text = data.toString();
  if (!text.startsWith('{"type":"event"')) return;
  sample ??= text;
  const k = Number(versionOf.exec(text)?.[1]) - firstVersion;
  const times = arrivals[index];
  if (!times || !(k >= 0 && k < expectedEvents)) {
    strays++;
    return;
  }
  if (!Number.isNaN(times[k])) {
    duplicates++;
    return;
  }
  times[k] = at;
  delivered++;
}

// Source addresses spread over 127.0.0.2-17: each has its own ephemeral port range, so tens of
// thousands of sockets opened and closed in one run never run out of ports.
const sourceAddress = (i: number) => `127.0.0.${2 + (i % 16)}`;

/** Opens one socket and resolves once its `live` frame arrived. */
function openLive(url: string, index: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress: sourceAddress(index), perMessageDeflate: false });
    const fail = (error: Error) => reject(error);
    ws.once("error", fail);
    ws.once("unexpected-response", (_req, res) => fail(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on("close", (code) => closes.set(code, (closes.get(code) ?? 0) + 1));
    ws.once("message", (data: Buffer) => {
      if (!data.toString().includes('"type":"live"')) return fail(new Error(`first frame was not live: ${data}`));
      ws.off("error", fail);
      ws.on("error", () => {});
      ws.on("message", (frame: Buffer) => onFrame(index, frame));
      resolve(ws);
    });
  });
}

answerParent(
  {
    /** Opens `count` sockets to `url` (at most `parallel` handshakes at a time) and waits for every `live`. */
    async connect({ url, count, parallel = 200 }: { url: string; count: number; parallel?: number }) {
      const started = performance.now();
      let next = 0;
      let failed = 0;
      let firstError: string | undefined;
      const opened: WebSocket[] = new Array(count);
      await Promise.all(
        Array.from({ length: Math.min(parallel, count) }, async () => {
          while (next < count) {
            const i = next++;
            try {
              opened[i] = await openLive(url, i);
            } catch (error) {
              failed++;
              firstError ??= String(error);
            }
          }
        }),
      );
      sockets = opened.filter(Boolean);
      return { connected: sockets.length, failed, firstError, ms: performance.now() - started };
    },
    /** Starts noting arrivals of the events with stock versions firstVersion … firstVersion + count - 1. */
    arm({ first, count }: { first: number; count: number }) {
      firstVersion = first;
      expectedEvents = count;
      arrivals = sockets.map(() => new Float64Array(count).fill(Number.NaN));
      delivered = duplicates = strays = 0;
      closes = new Map();
      return { expected: count * sockets.length };
    },
    progress: () => ({ delivered, expected: expectedEvents * sockets.length }),
    /** Latency of every (socket, event) arrival from that event's t0 (and from its write's return, `commits`), in ms; and what did not arrive. */
    report({ t0s, commits }: { t0s: number[]; commits?: number[] }) {
      const since = (origins: number[]) => {
        const latencies = new Float64Array(delivered);
        let n = 0;
        for (const times of arrivals) {
          for (let k = 0; k < expectedEvents; k++) {
            const at = times[k] as number;
            if (!Number.isNaN(at)) latencies[n++] = at - (origins[k] as number);
          }
        }
        latencies.sort();
        return (p: number) => (n === 0 ? Number.NaN : (latencies[Math.min(n - 1, Math.floor((p / 100) * n))] as number));
      };
      const fromT0 = since(t0s);
      const fromCommit = commits ? since(commits) : undefined;
      return {
        expected: expectedEvents * sockets.length,
        delivered,
        duplicates,
        strays,
        p50: fromT0(50),
        p99: fromT0(99),
        max: fromT0(100),
        fromCommit: fromCommit && { p50: fromCommit(50), p99: fromCommit(99) },
        closes: Object.fromEntries(closes),
        sample,
      };
    },
    /** Closes every socket and waits (bounded) until they are closed. */
    async closeAll() {
      const closing = sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            ws.once("close", () => resolve());
            ws.close();
          }),
      );
      await Promise.race([Promise.all(closing), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      for (const ws of sockets) ws.terminate();
      sockets = [];
      arrivals = [];
      return {};
    },
  },
  {},
);
