import { useSyncExternalStore } from "react";
import type { LoggedRequest } from "../api/request-log";
import { useServices } from "../app-context";
import { Empty } from "../ui/status";

const versionOf = (mediaType: string | null) =>
  mediaType
    ?.match(/vnd\.stockroom\.(v\d+)\+json|version=(\d+)/)
    ?.slice(1)
    .find(Boolean) ?? undefined;

function VersionCell({ entry }: { entry: LoggedRequest }) {
  const asked = versionOf(entry.accept);
  const got = versionOf(entry.contentType);
  if (!entry.accept && !entry.contentType) return <span className="muted">–</span>;
  return (
    <>
      {entry.accept && (
        <span className="header-line">
          <span className="header-name">Accept:</span> {entry.accept}
        </span>
      )}
      {entry.contentType && (
        <span className="header-line">
          <span className="header-name">Content-Type:</span> {entry.contentType}
        </span>
      )}
      {entry.deprecation && (
        <span className="header-line header-line--warn">
          <span className="header-name">Deprecation:</span> {entry.deprecation}
          {entry.sunset && ` (sunset ${entry.sunset})`}
        </span>
      )}
      {(asked || got) && (
        <span className="visually-hidden">{`asked for ${asked ?? "any version"}, answered ${got ?? "unversioned"}`}</span>
      )}
    </>
  );
}

/** The latest calls of this tab: operation, status and which API version each asked for and got. */
export function RequestLogPanel() {
  const { api } = useServices();
  const entries = useSyncExternalStore(api.log.subscribe, api.log.snapshot);
  return (
    <section className="request-log" aria-labelledby="request-log-heading">
      <h2 id="request-log-heading">Requests from this tab</h2>
      <p>
        Newest first. REST calls ask for version 2 with <code>Accept: application/vnd.stockroom.v2+json</code> on{" "}
        <code>/api/…</code>; the answer's <code>Content-Type</code> names the version that answered.
      </p>
      {entries.length === 0 ? (
        <Empty>No requests yet.</Empty>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Operation</th>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Version headers</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{entry.operation}</td>
                  <td className="request-log__url">
                    <code>
                      {entry.method} {entry.url}
                    </code>
                  </td>
                  <td className={typeof entry.status === "number" && entry.status < 400 ? "ok" : "bad"}>{entry.status}</td>
                  <td>
                    <VersionCell entry={entry} />
                  </td>
                  <td>{entry.durationMs} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
