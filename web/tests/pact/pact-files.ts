import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PactV4 } from "@pact-foundation/pact";

// One pact file per transport the client consumes, each written by one test file, which deletes
// it first: the committed file then holds exactly the interactions the tests describe today.

/** pacts/ at the repository root, where the provider verification (tests/contract) reads them. */
export const pactDir = fileURLToPath(new URL("../../../pacts", import.meta.url));

export const consumer = "stockroom-web";

/** A fresh PactV4 for `provider`, its previous pact file removed. */
export async function freshPact(provider: string) {
  await rm(path.join(pactDir, `${consumer}-${provider}.json`), { force: true });
  return new PactV4({ consumer, provider, dir: pactDir, logLevel: "warn" });
}
