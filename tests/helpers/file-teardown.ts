// vitest drops an afterAll registered while hooks or tests run (inside beforeAll, say) without a
// word, so helpers that a file may call from anywhere register their cleanup here instead; the
// setup file (tests/helpers/setup-file.ts) runs it from the file's last afterAll.
const pending: (() => Promise<unknown> | unknown)[] = [];

/** Runs `cleanup` when the current test file ends, wherever this is called; the last registered runs first. */
export function onFileEnd(cleanup: () => Promise<unknown> | unknown): void {
  pending.push(cleanup);
}

/** Runs every cleanup registered with onFileEnd, all of them even if some fail. */
export async function runFileEnd(): Promise<void> {
  const errors: unknown[] = [];
  for (let cleanup = pending.pop(); cleanup; cleanup = pending.pop()) {
    await Promise.resolve()
      .then(cleanup)
      .catch((error: unknown) => errors.push(error));
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, "cleanups at the end of the test file failed");
}
