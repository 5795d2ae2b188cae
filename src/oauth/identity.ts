import { type RequestHandler, Router } from "express";
import type { JSONWebKeySet } from "jose";
import type { Provider } from "oidc-provider";
import { type AccessTokenVerifier, createAccessTokenVerifier } from "../auth/verifier.js";
import type { Config } from "../config.js";
import type { PrismaClient } from "../db/prisma.js";
import type { Logger } from "../logger.js";
import { purgeExpiredPayloads } from "./adapter.js";
import { followClientRegistry } from "./client-registry.js";
import { demoWebClientId, followPublicUrl } from "./demo-client.js";
import { interactionRoutes } from "./interactions.js";
import { ensureIdentityKeys, keysFingerprint, loadCookieKeys, loadSigningKeys, publicJwks, purgeExpiredKeys } from "./keys.js";
import { createLoginThrottle, purgeExpiredLoginCounters } from "./login-throttle.js";
import { apiResourceFor, oauthMountPath } from "./paths.js";
import { createProvider } from "./provider.js";

/** Stockroom as its own authorization server, and the one way to check its tokens. */
export type Identity = {
  /** Mount at `oauthMountPath` (before any body parser: oidc-provider reads its own bodies). */
  router: Router;
  /** The token check every entry point uses (REST middleware, GraphQL context, WebSocket upgrade). */
  verifyAccessToken: AccessTokenVerifier;
  issuer: string;
  apiAudience: string;
  /** Stops the key watcher, the purge loop and the client registry's LISTEN connection. */
  close(): Promise<void>;
};

type KeyState = { provider: Provider; handler: RequestHandler; jwks: JSONWebKeySet; cookieKeys: string[]; fingerprint: string };

const purgeEveryMs = 10 * 60 * 1000;
// A token signed with a kid we do not know triggers at most one key reload per this interval.
const unknownKidReloadMs = 10 * 1000;

/**
 * Loads (or creates, on first start) the keys, builds the provider, and keeps both current:
 * every `oauthKeyRefreshSeconds` it checks whether keys were rotated (by `npm run oauth --
 * keys:rotate`, possibly from another process) and rebuilds the provider if so.
 */
export async function createIdentity({
  config,
  logger,
  prisma,
  databaseUrl,
}: {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  /** For the LISTEN connection that hears of deleted clients. */
  databaseUrl: string;
}): Promise<Identity> {
  const issuer = `${config.publicUrl}${oauthMountPath}`;
  const apiAudience = apiResourceFor(config.publicUrl);
  const { created } = await ensureIdentityKeys(prisma);
  if (created) logger.info("generated the OAuth signing and cookie keys");
  // Only with demo data: in production the demo client (if anyone kept it) is the operator's to manage.
  if (config.seedDemoData && (await followPublicUrl(prisma, config.publicUrl))) {
    logger.info({ clientId: demoWebClientId, publicUrl: config.publicUrl }, "demo client's redirect URIs now follow PUBLIC_URL");
  }

  const load = async (): Promise<KeyState> => {
    const fingerprint = await keysFingerprint(prisma);
    const [signingKeys, cookieKeys] = await Promise.all([loadSigningKeys(prisma), loadCookieKeys(prisma)]);
    if (signingKeys.length === 0) throw new Error("no OAuth signing key in oidc_signing_keys");
    const provider = createProvider({
      issuer,
      apiAudience,
      prisma,
      logger,
      signingKeys: signingKeys.map((key) => key.jwk),
      cookieKeys,
      trustProxy: config.trustProxy,
    });
    return { provider, handler: provider.callback() as RequestHandler, jwks: publicJwks(signingKeys), cookieKeys, fingerprint };
  };
  let state = await load();
  logger.info({ issuer, kid: state.jwks.keys[0]?.kid }, "OAuth provider ready");

  let reloading: Promise<void> | undefined;
  const reloadIfChanged = () => {
    reloading ??= (async () => {
      try {
        if ((await keysFingerprint(prisma)) === state.fingerprint) return;
        state = await load();
        logger.info({ kids: state.jwks.keys.map((key) => key.kid) }, "OAuth keys changed; provider reloaded");
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  };
  const keyWatch = setInterval(() => {
    reloadIfChanged().catch((err) => logger.error({ err }, "could not check the OAuth keys"));
  }, config.oauthKeyRefreshSeconds * 1000);
  keyWatch.unref();

  const purge = async () => {
    const payloads = await purgeExpiredPayloads(prisma);
    await Promise.all([purgeExpiredKeys(prisma), purgeExpiredLoginCounters(prisma)]);
    if (payloads > 0) logger.debug({ payloads }, "purged expired OAuth rows");
  };
  const purgeLoop = setInterval(() => {
    purge().catch((err) => logger.error({ err }, "could not purge expired OAuth rows"));
  }, purgeEveryMs);
  purgeLoop.unref();
  await purge();

  const clients = await followClientRegistry({ prisma, databaseUrl, logger });
  let lastUnknownKidReload = 0;
  const verifyAccessToken = createAccessTokenVerifier({
    issuer,
    audience: apiAudience,
    keys: () => state.jwks,
    clientRegistered: (clientId) => clients.isRegistered(clientId),
    refreshKeys: async () => {
      if (Date.now() - lastUnknownKidReload < unknownKidReloadMs) return;
      lastUnknownKidReload = Date.now();
      await reloadIfChanged();
    },
  });

  const router = Router();
  router.use(
    interactionRoutes({
      provider: () => state.provider,
      cookieKeys: () => state.cookieKeys,
      prisma,
      throttle: createLoginThrottle(prisma),
      publicOrigin: new URL(config.publicUrl).origin,
      logger,
    }),
  );
  // oidc-provider is a Koa app; its callback handles everything else under the mount path.
  router.use((req, res, next) => state.handler(req, res, next));

  return {
    router,
    verifyAccessToken,
    issuer,
    apiAudience,
    async close() {
      clearInterval(keyWatch);
      clearInterval(purgeLoop);
      await clients.close();
    },
  };
}
