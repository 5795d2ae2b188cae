import { LRUCache } from "lru-cache";
import { NotificationListener } from "../db/notifications.js";
import type { Prisma, PrismaClient } from "../db/prisma.js";
import type { Logger } from "../logger.js";

// Access tokens are self-contained JWTs, but a deleted client's tokens must stop working at once
// (RFC 9068 §6: a resource server may check more than the signature). Every server keeps a short
// memory of which client ids exist; `client:delete` announces the deletion (NOTIFY on commit) and
// every listening server forgets that client. A notification can be lost (the LISTEN connection
// dropped), so nothing is remembered for longer than `rememberMs`, nothing at all while the
// connection is down, and everything is forgotten when it comes back.

/** NOTIFY channel of deleted clients; the payload is the client id. */
export const clientDeletedChannel = "oauth_client_deleted";

/** How long a server trusts its memory of a client id without asking the database again. */
export const clientStatusRememberMs = 30_000;

export type ClientRegistry = {
  /** True while a client with this id is registered. */
  isRegistered(clientId: string): Promise<boolean>;
  close(): Promise<void>;
};

/** Announces, on commit of the current transaction (or statement), that `clientId` was deleted. */
export async function announceClientDeleted(db: Prisma.TransactionClient, clientId: string): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${clientDeletedChannel}, ${clientId})`;
}

/** Which client ids exist, as seen by this server: asked from the database, remembered briefly, forgotten on deletion. */
export async function followClientRegistry(options: {
  prisma: PrismaClient;
  databaseUrl: string;
  logger: Logger;
  rememberMs?: number;
}): Promise<ClientRegistry> {
  const known = new LRUCache<string, boolean>({ max: 10_000, ttl: options.rememberMs ?? clientStatusRememberMs });
  let listening = false;
  // Bumped by every deletion: an answer read from the database before it must not be remembered after it.
  let generation = 0;
  const forget = (clientId?: string) => {
    generation++;
    if (clientId === undefined) known.clear();
    else known.delete(clientId);
  };
  const listener = new NotificationListener(
    options.databaseUrl,
    clientDeletedChannel,
    {
      onNotification: (clientId) => forget(clientId),
      onListening: () => {
        listening = true;
        forget();
      },
      onLost: () => {
        listening = false;
        forget();
      },
    },
    options.logger,
  );
  await listener.start();

  return {
    async isRegistered(clientId) {
      const remembered = known.get(clientId);
      if (remembered !== undefined) return remembered;
      const asked = generation;
      const registered = (await options.prisma.oidcPayload.count({ where: { id: clientId, type: "Client" } })) > 0;
      if (listening && asked === generation) known.set(clientId, registered);
      return registered;
    },
    close: () => listener.stop(),
  };
}
