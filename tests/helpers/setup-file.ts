import { afterAll } from "vitest";
import { runFileEnd } from "./file-teardown.js";

// Registered before the file's own hooks, so it runs after them (vitest runs afterAll as a stack).
afterAll(runFileEnd);
