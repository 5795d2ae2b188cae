import { describeError } from "../api/problem";
import { useServices } from "../app-context";
import { ErrorMessage, Loading } from "../ui/status";
import { useAsync } from "../ui/use-async";
import { RequestLogPanel } from "./RequestLogPanel";

/** The API behind this app: the server's own index of links (GET / as JSON) and the log of this tab's calls. */
export function ApiPage() {
  const { api } = useServices();
  const index = useAsync(() => api.rest.serviceIndex(), [api]);

  return (
    <section className="api-page">
      <h1 tabIndex={-1}>The API</h1>
      <p className="lede">
        Everything this app shows comes from Stockroom's public API. The same server describes itself: these links are its own
        index, the JSON answer of <code>GET /</code> to a client that does not ask for HTML.
      </p>
      <h2>Documentation and entry points</h2>
      {index.status === "loading" && <Loading label="Loading the server's index…" />}
      {index.status === "error" && <ErrorMessage message={describeError(index.error)} onRetry={index.reload} />}
      {index.data && (
        <ul className="link-list">
          {index.data.links.map((link) => (
            <li key={link.href}>
              <a href={link.href}>{link.title}</a>{" "}
              <code className="link-list__href">{new URL(link.href, window.location.origin).pathname}</code>
            </li>
          ))}
        </ul>
      )}
      <RequestLogPanel />
    </section>
  );
}
