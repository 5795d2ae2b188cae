import type { TokenSource } from "../api/http";
import type { Me } from "../api/types";
import { AuthorizationRefused, type OAuthClient, type PendingAuthorization, type Tokens } from "./oauth";
import { runSilentAuthorization } from "./silent";

// The signed-in state of the app. Tokens live in this object only (memory): a reload forgets
// them and signs in again silently while the provider's session lives. sessionStorage keeps
// two things that are not tokens: that a sign-in happened in this tab (so a reload tries the
// silent sign-in at all) and the PKCE verifier + state of a sign-in the browser is away for.

export type User = { name: string; roles: Me["roles"]; scopes: string[] };

export type SessionState =
  | { status: "anonymous"; notice?: string }
  | { status: "restoring" }
  | { status: "signed-in"; user: User };

const activeKey = "stockroom.signed-in";
const pendingKey = "stockroom.pending-sign-in";
/** Renew this long before the access token expires. */
const renewMarginMs = 60_000;

type Dependencies = {
  oauth: OAuthClient;
  /** Reads /api/me with the new token (the API module's call). */
  loadMe: () => Promise<Me>;
  navigate: (url: URL) => void;
};

/** The session: the API module's token source, and what the UI shows (observable). */
export class Session implements TokenSource {
  private tokens: Tokens | undefined;
  private state: SessionState = { status: "anonymous" };
  private readonly listeners = new Set<() => void>();
  private renewal: Promise<string | undefined> | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private accepting = false;

  constructor(private readonly deps: Dependencies) {}

  snapshot = (): SessionState => this.state;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  current(): string | undefined {
    return this.tokens?.accessToken;
  }

  /** One renewal at a time: two callers reusing one rotated refresh token would revoke the grant. */
  renew(): Promise<string | undefined> {
    // A 401 while a new token is being checked (its /me) is final, not a reason to renew again.
    if (this.accepting) return Promise.resolve(undefined);
    this.renewal ??= this.renewNow().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  /** At start-up: finishes a sign-in the browser returns from, or signs in silently if this tab was signed in. */
  async start(location: URL): Promise<string | undefined> {
    if (location.pathname === "/callback") return this.completeRedirect(location);
    if (sessionStorage.getItem(activeKey)) {
      this.set({ status: "restoring" });
      const ok = await this.silentSignIn().catch(() => false);
      if (!ok) this.endLocally("Your sign-in has ended. Sign in again to continue.");
    }
    return undefined;
  }

  /** Sends the browser to the provider's sign-in and consent pages. */
  async signIn(returnTo: string): Promise<void> {
    const { url, pending } = await this.deps.oauth.authorizationRequest(returnTo, "consent");
    sessionStorage.setItem(pendingKey, JSON.stringify(pending));
    this.deps.navigate(url);
  }

  /** Revokes the refresh token, forgets the tokens and ends the provider's session (the browser goes there and back). */
  async signOut(): Promise<void> {
    const tokens = this.tokens;
    this.endLocally();
    if (tokens?.refreshToken) await this.deps.oauth.revoke(tokens.refreshToken).catch(() => undefined);
    this.deps.navigate(await this.deps.oauth.endSessionUrl(tokens?.idToken));
  }

  private async completeRedirect(location: URL): Promise<string> {
    const raw = sessionStorage.getItem(pendingKey);
    sessionStorage.removeItem(pendingKey);
    const pending = raw ? (JSON.parse(raw) as PendingAuthorization) : undefined;
    if (!pending) {
      this.endLocally("That sign-in link has already been used. Sign in again.");
      return "/";
    }
    try {
      await this.accept(await this.deps.oauth.redeem(location, pending));
    } catch (error) {
      const refused = error instanceof AuthorizationRefused && error.error === "access_denied";
      this.endLocally(refused ? "Sign-in was cancelled." : "Sign-in did not complete. Try again.");
    }
    return pending.returnTo;
  }

  private async silentSignIn(): Promise<boolean> {
    const { url, pending } = await this.deps.oauth.authorizationRequest("", "none");
    const callback = await runSilentAuthorization(url);
    try {
      await this.accept(await this.deps.oauth.redeem(callback, pending));
      return true;
    } catch (error) {
      if (error instanceof AuthorizationRefused) return false;
      throw error;
    }
  }

  private async renewNow(): Promise<string | undefined> {
    const tokens = this.tokens;
    if (!tokens) return undefined;
    try {
      if (tokens.refreshToken) await this.accept(await this.deps.oauth.refresh(tokens));
      else if (!(await this.silentSignIn())) throw new Error("the provider's session has ended");
      return this.tokens?.accessToken;
    } catch {
      this.endLocally("Your sign-in has ended. Sign in again to continue.");
      return undefined;
    }
  }

  private async accept(tokens: Tokens): Promise<void> {
    this.tokens = tokens;
    this.accepting = true;
    const me = await this.deps.loadMe().finally(() => {
      this.accepting = false;
    });
    sessionStorage.setItem(activeKey, "1");
    this.set({ status: "signed-in", user: { name: tokens.userName ?? me.subject.id, roles: me.roles, scopes: me.scopes } });
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => void this.renew(), Math.max(5_000, tokens.expiresAt - Date.now() - renewMarginMs));
  }

  private endLocally(notice?: string) {
    this.tokens = undefined;
    clearTimeout(this.renewTimer);
    sessionStorage.removeItem(activeKey);
    this.set({ status: "anonymous", notice });
  }

  private set(state: SessionState) {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
