import path from "node:path";
import { fileURLToPath } from "node:url";

/** pacts/ at the repository root: the pact files the web client's consumer tests write (and git keeps). */
export const pactsDir = fileURLToPath(new URL("../../pacts", import.meta.url));

/** The pact file between the web client and one of the server's transports. */
export const pactFile = (provider: string) => path.join(pactsDir, `stockroom-web-${provider}.json`);
