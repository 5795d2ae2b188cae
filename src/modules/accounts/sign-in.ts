import type { Role } from "../../auth/scopes.js";
import type { PrismaClient } from "../../db/prisma.js";
import { hashPassword, verifyPassword } from "./passwords.js";

export type Account = { id: number; email: string; username: string; role: Role };

const accountColumns = { id: true, email: true, username: true, role: true } as const;

// Verifying against a real hash when the user does not exist keeps the answer time the same,
// so response timing does not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

/** Who a sign-in names: an account (with its password hash), or nobody. */
export type LoginSubject = { account: Account; passwordHash: string } | { account: undefined };

/** The account whose email (any case) or username is `login`, looked up before any password is checked. */
export async function findLoginSubject(prisma: PrismaClient, login: string): Promise<LoginSubject> {
  const normalized = login.trim();
  const user = normalized
    ? await prisma.user.findFirst({
        where: { OR: [{ email: { equals: normalized, mode: "insensitive" } }, { username: normalized }] },
        select: { ...accountColumns, passwordHash: true },
      })
    : null;
  if (!user) return { account: undefined };
  const { passwordHash, ...account } = user;
  return { account, passwordHash };
}

/** The subject's account if `password` is its password; nobody's password matches for an unknown login. */
export async function verifyLoginPassword(subject: LoginSubject, password: string): Promise<Account | undefined> {
  if (!subject.account) {
    decoyHash ??= hashPassword("stockroom-decoy-password");
    await verifyPassword(await decoyHash, password);
    return undefined;
  }
  return (await verifyPassword(subject.passwordHash, password)) ? subject.account : undefined;
}

/** One account by id, or undefined. */
export async function findAccountById(prisma: PrismaClient, id: number): Promise<Account | undefined> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return undefined;
  return (await prisma.user.findUnique({ where: { id }, select: accountColumns })) ?? undefined;
}
