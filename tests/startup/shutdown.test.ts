import http from "node:http";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startStockroom } from "../../src/start.js";
import { testConfig } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";

/** A POST whose body is sent in two halves, so the request is in flight between them. */
function slowRequest(url: string) {
  const target = new URL("/api/v2/products", url);
  const req = http.request(target, {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(`{"name": "halfway"}`)) },
  });
  const answered = new Promise<{ status: number } | { error: string }>((resolve) => {
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
  req.write('{"name": "half');
  return { finish: () => req.end('way"}'), answered };
}

describe("graceful shutdown", () => {
  it("stops accepting, lets an in-flight request finish, then stops", async () => {
    const db = await createTestDatabase();
    const running = await startStockroom(
      testConfig(db.url, { SHUTDOWN_TIMEOUT_MS: "10000" }),
      createLogger({ logLevel: "silent" }),
    );
    const inFlight = slowRequest(running.url);
    await new Promise((resolve) => setTimeout(resolve, 100));

    let stopped = false;
    const stopping = running.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // New connections are refused while the old request is still being served.
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    expect(stopped).toBe(false);

    inFlight.finish();
    // It gets its real answer (no token for a write: 401), not a reset connection.
    expect(await inFlight.answered).toEqual({ status: 401 });
    const answeredAt = Date.now();
    await stopping;
    // …and the server does not then sit out the keep-alive timeout of that connection.
    expect(Date.now() - answeredAt).toBeLessThan(2_000);
    expect(stopped).toBe(true);
  });

  it("cuts a request that outlives SHUTDOWN_TIMEOUT_MS", async () => {
    const db = await createTestDatabase();
    const running = await startStockroom(
      testConfig(db.url, { SHUTDOWN_TIMEOUT_MS: "300" }),
      createLogger({ logLevel: "silent" }),
    );
    const stuck = slowRequest(running.url);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await running.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await stuck.answered).toEqual({ error: "ECONNRESET" });
  });
});
