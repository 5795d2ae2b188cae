// bench:realtime's baseline: a bare `ws` server on node:http that answers every connection with
// the same `live` frame Stockroom sends and broadcasts a frame to every client by looping over
// them (the frame serialized once), the fan-out every ws tutorial shows. No database, no topics,
// no auth, no limits: what the library costs, for Stockroom's figures to be read against.
// Run by bench/realtime.ts in its own process, with --expose-gc.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { answerParent, memoryAfterGc, wallClock } from "./realtime-ipc.js";

const topic = process.argv[2] ?? "product:1:inventory";
const liveFrame = JSON.stringify({ type: "live", topic });
const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server });
wss.on("connection", (ws) => ws.send(liveFrame));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

function broadcast(frame: string) {
  for (const ws of wss.clients) ws.send(frame);
}

/** `template` with its stock version set to `version`: each broadcast is a distinct, same-sized event. */
const withVersion = (template: string, version: number) => template.replace(/"version":\d+/, `"version":${version}`);

answerParent(
  {
    memory: () => ({ ...memoryAfterGc(), sockets: wss.clients.size }),
    /** One frame to every client; t0 is taken just before the loop, as Stockroom's just before its write. */
    broadcast({ frame }: { frame: string }) {
      const t0 = wallClock();
      broadcast(frame);
      return { t0, sent: wallClock() };
    },
    /** `rate` frames per second for `seconds`, versions from `firstVersion`, on a fixed schedule; returns each one's t0. */
    async sustain({
      template,
      firstVersion,
      rate,
      seconds,
    }: {
      template: string;
      firstVersion: number;
      rate: number;
      seconds: number;
    }) {
      const count = Math.round(rate * seconds);
      const t0s: number[] = [];
      const start = wallClock();
      for (let k = 0; k < count; k++) {
        const due = start + (k * 1000) / rate;
        const wait = due - wallClock();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        t0s.push(wallClock());
        broadcast(withVersion(template, firstVersion + k));
      }
      return { t0s };
    },
  },
  { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/products/1/inventory` },
);

// Exit rather than die of the signal, so that --cpu-prof can write its profile.
process.on("SIGTERM", () => process.exit(0));
