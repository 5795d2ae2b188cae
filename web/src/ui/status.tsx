// Loading, empty and error states, announced to screen readers.

/** A polite "working" line. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="status status--loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** An error sentence with an optional way to try again. */
export function ErrorMessage({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="status status--error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Nothing to show, and why. */
export function Empty({ children }: { children: React.ReactNode }) {
  return (
    <p className="status status--empty" role="status">
      {children}
    </p>
  );
}
