import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { requestLogging } from "../../src/http/request-logging.js";
import { capturingLogger } from "../helpers/app.js";

// req.log is made on first use (src/http/request-logging.ts): what a handler logs through it must
// still carry the request id, and a middleware that replaces it (authentication binds the actor)
// must be what later lines use.
describe("req.log", () => {
  const { logger, lines } = capturingLogger();
  const app = express();
  app.use(requestLogging(app, logger));
  app.get("/plain", (req, res) => {
    req.log.info({ step: "handler" }, "from the handler");
    res.end();
  });
  app.get("/bound", (req, _res, next) => {
    req.log = req.log.child({ actor: { userId: 7 } });
    next();
  });
  app.get("/bound", (req, res) => {
    req.log.info("after the binding");
    res.end();
  });

  it("carries the request id of its request", async () => {
    await request(app).get("/plain").set("X-Request-Id", "lazy-1").expect(200);
    await request(app).get("/plain").set("X-Request-Id", "lazy-2").expect(200);
    const handlerLines = lines.filter((line) => line.step === "handler");
    expect(handlerLines.map((line) => line.requestId)).toEqual(["lazy-1", "lazy-2"]);
  });

  it("keeps what a middleware put in its place", async () => {
    await request(app).get("/bound").set("X-Request-Id", "bound-1").expect(200);
    const line = lines.find((l) => l.msg === "after the binding");
    expect(line).toMatchObject({ requestId: "bound-1", actor: { userId: 7 } });
  });

  it("is not shared between requests", async () => {
    await request(app).get("/bound").set("X-Request-Id", "bound-2").expect(200);
    await request(app).get("/plain").set("X-Request-Id", "plain-3").expect(200);
    const plain = lines.find((l) => l.requestId === "plain-3" && l.step === "handler");
    expect(plain).toBeDefined();
    expect(plain).not.toHaveProperty("actor");
  });
});
