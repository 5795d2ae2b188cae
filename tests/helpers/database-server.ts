import pg from "pg";

// Every database a test run creates on the test server is named `stockroom_test_<run>_…`, and the
// run's admin session carries the run in its application_name for as long as the run lives. So a
// run drops everything it made by prefix (whatever crashed on the way), and a run that died before
// its teardown is recognised by the next one: databases of its prefix, no session of its name.
const runPattern = /^stockroom_test_([0-9a-f]{8})_/;

/** The name prefix of every database test run `runId` (8 hex digits) creates. */
export const runPrefix = (runId: string) => `stockroom_test_${runId}_`;

/** application_name of the session that keeps run `runId` marked alive. */
export const runSessionName = (runId: string) => `stockroom-test-run-${runId}`;

/** Drops every database whose name starts with `prefix`, even with sessions still connected. */
export async function dropDatabasesStartingWith(admin: pg.Client, prefix: string): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname",
    [prefix],
  );
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  return rows.map((row) => row.datname);
}

/** Drops the databases of test runs whose admin session is gone (a run killed before its teardown). */
export async function dropAbandonedRuns(admin: pg.Client): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE starts_with(datname, 'stockroom_test_')",
  );
  const { rows: sessions } = await admin.query<{ name: string }>(
    "SELECT DISTINCT application_name AS name FROM pg_stat_activity",
  );
  const alive = new Set(sessions.map((session) => session.name));
  const runs = new Set(rows.flatMap(({ datname }) => datname.match(runPattern)?.[1] ?? []));
  const dropped: string[] = [];
  for (const run of runs) {
    if (!alive.has(runSessionName(run))) dropped.push(...(await dropDatabasesStartingWith(admin, runPrefix(run))));
  }
  return dropped;
}

/** A connection to the test server's admin database, named as the session of `runId` if given. */
export async function connectAdmin(url: string, runId?: string): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: url, application_name: runId && runSessionName(runId) });
  await admin.connect();
  return admin;
}
