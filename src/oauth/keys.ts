import { randomBytes } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from "jose";
import type { Prisma, PrismaClient } from "../db/prisma.js";

// The provider's keys live in PostgreSQL so that a restart (or a second instance) signs and
// verifies with the same keys: JWT signing keys (oidc_signing_keys) and cookie keys (oidc_cookie_keys).

/** Every token we sign uses RS256: the one algorithm every OAuth/OIDC library supports (RFC 7518 §3.1). */
export const signingAlgorithm = "RS256";

/**
 * How long a retired key keeps verifying: longer than any token it signed can live (access
 * tokens 15 min, ID tokens 1 h) plus time for clients to refresh a cached JWKS.
 */
export const retiredKeyLifetimeSeconds = 24 * 60 * 60;

/** Cookie keys older than the longest session are useless; keep the newest few regardless. */
const cookieKeysKept = 3;

export type SigningKey = {
  kid: string;
  /** Private JWK, with kid, alg and use. */
  jwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
  expiresAt: Date | null;
};

type Db = Prisma.TransactionClient;

async function newSigningKey(): Promise<{ kid: string; jwk: JWK }> {
  const { privateKey } = await generateKeyPair(signingAlgorithm, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  // RFC 7638 thumbprint as kid: stable, unique, derived from the public key itself.
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, jwk: { ...jwk, kid, alg: signingAlgorithm, use: "sig" } };
}

const newCookieKey = () => randomBytes(32).toString("base64url");

// Two instances starting on an empty database, or a rotation racing a start, take turns here.
const lockKeys = (tx: Db) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('stockroom:oidc-keys'))`;

/** Creates the first signing key and cookie key if there are none; never replaces existing ones. */
export async function ensureIdentityKeys(prisma: PrismaClient): Promise<{ created: boolean }> {
  const [signingKeys, cookieKeys] = await Promise.all([
    prisma.oidcSigningKey.count({ where: { retiredAt: null } }),
    prisma.oidcCookieKey.count(),
  ]);
  if (signingKeys > 0 && cookieKeys > 0) return { created: false };
  // Generating an RSA key takes a moment: do it before taking the lock.
  const signing = await newSigningKey();
  return prisma.$transaction(async (tx) => {
    await lockKeys(tx);
    let created = false;
    if ((await tx.oidcSigningKey.count({ where: { retiredAt: null } })) === 0) {
      await tx.oidcSigningKey.create({ data: { kid: signing.kid, jwk: signing.jwk as Prisma.InputJsonObject } });
      created = true;
    }
    if ((await tx.oidcCookieKey.count()) === 0) {
      await tx.oidcCookieKey.create({ data: { secret: newCookieKey() } });
      created = true;
    }
    return { created };
  });
}

/**
 * Makes a new key the signing key and retires the previous ones: they keep verifying for
 * `retiredKeyLifetimeSeconds`, then drop out of the JWKS. Also adds a new cookie key.
 */
export async function rotateSigningKey(prisma: PrismaClient): Promise<{ kid: string; retired: string[]; verifyUntil: Date }> {
  const signing = await newSigningKey();
  const now = new Date();
  const verifyUntil = new Date(now.getTime() + retiredKeyLifetimeSeconds * 1000);
  return prisma.$transaction(async (tx) => {
    await lockKeys(tx);
    const active = await tx.oidcSigningKey.findMany({ where: { retiredAt: null }, select: { kid: true } });
    await tx.oidcSigningKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: now, expiresAt: verifyUntil } });
    await tx.oidcSigningKey.create({ data: { kid: signing.kid, jwk: signing.jwk as Prisma.InputJsonObject, createdAt: now } });
    await tx.oidcCookieKey.create({ data: { secret: newCookieKey() } });
    return { kid: signing.kid, retired: active.map((key) => key.kid), verifyUntil };
  });
}

/** Keys that still verify, the signing key first (the provider signs with the first match). */
export async function loadSigningKeys(prisma: PrismaClient): Promise<SigningKey[]> {
  const rows = await prisma.oidcSigningKey.findMany({
    where: { OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
    orderBy: { createdAt: "desc" },
  });
  const keys = rows.map((row) => ({ ...row, jwk: row.jwk as JWK }));
  return [...keys.filter((key) => key.retiredAt === null), ...keys.filter((key) => key.retiredAt !== null)];
}

/** Cookie keys, newest first: keygrip signs with the first and verifies with any. */
export async function loadCookieKeys(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.oidcCookieKey.findMany({ orderBy: { id: "desc" }, take: cookieKeysKept });
  return rows.map((row) => row.secret);
}

/** A value that changes whenever the set of usable keys changes (rotation, expiry, purge). */
export async function keysFingerprint(prisma: PrismaClient): Promise<string> {
  const [row] = await prisma.$queryRaw<{ signing: string | null; cookie: number | null }[]>`
    SELECT (SELECT string_agg(kid || ':' || coalesce(retired_at::text, ''), ',' ORDER BY kid)
              FROM oidc_signing_keys WHERE expires_at IS NULL OR expires_at > now()) AS signing,
           (SELECT max(id) FROM oidc_cookie_keys) AS cookie`;
  return `${row?.signing ?? ""}|${row?.cookie ?? ""}`;
}

/** Deletes signing keys past their verification window and cookie keys beyond the newest few. */
export async function purgeExpiredKeys(prisma: PrismaClient): Promise<void> {
  await prisma.oidcSigningKey.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  const kept = await prisma.oidcCookieKey.findMany({ orderBy: { id: "desc" }, take: cookieKeysKept, select: { id: true } });
  if (kept.length === cookieKeysKept) {
    await prisma.oidcCookieKey.deleteMany({ where: { id: { lt: Math.min(...kept.map((key) => key.id)) } } });
  }
}

/** The public half of `keys`, as served at the JWKS endpoint (RFC 7517 §5). */
export function publicJwks(keys: readonly SigningKey[]): JSONWebKeySet {
  return {
    keys: keys.map(({ jwk }) => {
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
      return publicJwk;
    }),
  };
}
