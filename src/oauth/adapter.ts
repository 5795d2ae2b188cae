import { type Adapter, type AdapterPayload, errors } from "oidc-provider";
import type { PrismaClient } from "../db/prisma.js";

// oidc-provider's storage contract (Session, Grant, AuthorizationCode, RefreshToken, Interaction,
// Client, …) over the oidc_payloads table: one row per (id, model). Every session, grant, code and
// refresh token therefore survives a restart and is shared by every instance.

const text = (value: unknown) => (typeof value === "string" ? value : null);

/** An oidc-provider adapter class whose instances store their model in PostgreSQL through `prisma`. */
export function prismaAdapter(prisma: PrismaClient): new (model: string) => Adapter {
  return class PrismaOidcAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      // ON CONFLICT, not find-then-write: concurrent requests save the same session.
      await prisma.$executeRaw`
        INSERT INTO oidc_payloads (id, type, payload, grant_id, user_code, uid, expires_at)
        VALUES (${id}, ${this.model}, ${JSON.stringify(payload)}::jsonb, ${text(payload.grantId)},
                ${text(payload.userCode)}, ${text(payload.uid)}, ${expiresAt})
        ON CONFLICT (id, type) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
          user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`;
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return this.first({ id });
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.first({ uid });
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.first({ userCode });
    }

    async consume(id: string): Promise<void> {
      // Atomic: of two concurrent redemptions of one code or refresh token, exactly one wins
      // (RFC 6749 §4.1.2, RFC 9700 §4.14.2); the other is told the grant is invalid.
      const consumed = await prisma.$executeRaw`
        UPDATE oidc_payloads SET consumed_at = now()
        WHERE id = ${id} AND type = ${this.model} AND consumed_at IS NULL`;
      if (consumed === 0) throw new errors.InvalidGrant(`${this.model} already used`);
    }

    async destroy(id: string): Promise<void> {
      await prisma.oidcPayload.deleteMany({ where: { id, type: this.model } });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await prisma.oidcPayload.deleteMany({ where: { grantId, type: this.model } });
    }

    private async first(where: { id?: string; uid?: string; userCode?: string }): Promise<AdapterPayload | undefined> {
      const row = await prisma.oidcPayload.findFirst({
        where: { ...where, type: this.model, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
      });
      if (!row) return undefined;
      const payload = row.payload as AdapterPayload;
      return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload;
    }
  };
}

/** Deletes rows whose lifetime is over (sessions, codes, tokens, interactions); returns how many. */
export async function purgeExpiredPayloads(prisma: PrismaClient): Promise<number> {
  const { count } = await prisma.oidcPayload.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  return count;
}
