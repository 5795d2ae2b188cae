// argon2id with the library's defaults (19 MiB, t=2, p=1: OWASP's minimum recommendation).
// The native binding is imported on the first sign-in (or seed), not at start-up: an instance that
// only serves the API never needs it.
let argon2: Promise<typeof import("@node-rs/argon2")> | undefined;
const loadArgon2 = () => {
  argon2 ??= import("@node-rs/argon2");
  return argon2;
};

/** Hashes a password into a self-describing PHC string. */
export async function hashPassword(password: string): Promise<string> {
  return (await loadArgon2()).hash(password);
}

/** True when `password` matches the stored PHC hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return (await loadArgon2()).verify(passwordHash, password).catch(() => false);
}
