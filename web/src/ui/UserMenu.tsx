import { useState } from "react";
import { describeError } from "../api/problem";
import { useServices, useSession } from "../app-context";

/** Sign-in button, or the signed-in user's name and roles with a sign-out button. */
export function UserMenu() {
  const { session } = useServices();
  const state = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const run = (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    action().catch((e: unknown) => {
      setBusy(false);
      setError(describeError(e));
    });
  };

  if (state.status === "restoring") {
    return (
      <div className="user-menu" role="status">
        Signing you in…
      </div>
    );
  }
  if (state.status === "signed-in") {
    return (
      <div className="user-menu">
        <span className="user-menu__who">
          <span data-testid="signed-in-user" className="user-menu__name">
            {state.user.name}
          </span>
          <span className="user-menu__roles">{state.user.roles.join(", ") || "no role"}</span>
        </span>
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => run(() => session.signOut())}>
          Sign out
        </button>
        {error && <span role="alert">{error}</span>}
      </div>
    );
  }
  const here = `${window.location.pathname}${window.location.search}`;
  return (
    <div className="user-menu">
      <button type="button" className="button" disabled={busy} onClick={() => run(() => session.signIn(here))}>
        Sign in
      </button>
      {error && (
        <span className="user-menu__error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** The reason the user was signed out, if the session ended by itself. */
export function SignInNotice() {
  const state = useSession();
  if (state.status !== "anonymous" || !state.notice) return null;
  return (
    <p className="notice" role="status">
      {state.notice}
    </p>
  );
}
