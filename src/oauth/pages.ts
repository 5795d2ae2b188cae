import { scopeDescriptions } from "../auth/scopes.js";
import { stylesheetPath } from "./paths.js";

// Server-rendered pages of the authorization server: plain HTML forms, one external stylesheet,
// no scripts at all (the CSP below forbids them), every dynamic value escaped.

/**
 * Headers for every page: no scripts, no framing (clickjacking on consent), no caching, and no
 * referrer outside our origin. `same-origin`, not `no-referrer`: under no-referrer a browser sends
 * `Origin: null` on our own form posts, which the same-origin check cannot tell from a sandboxed
 * attacker page (Fetch §3.2.5).
 */
export const pageHeaders: Readonly<Record<string, string>> = {
  "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store",
  "Referrer-Policy": "same-origin",
  "X-Content-Type-Options": "nosniff",
};

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Stockroom</title>
<link rel="stylesheet" href="${stylesheetPath}">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export type LoginPageModel = {
  action: string;
  abortAction: string;
  csrf: string;
  clientName: string;
  login?: string;
  error?: string;
};

/** The sign-in form. */
export function loginPage(m: LoginPageModel): string {
  return layout(
    "Sign in",
    `<h1>Sign in</h1>
<p class="lead">to continue to <strong>${escapeHtml(m.clientName)}</strong></p>
${m.error ? `<p class="error" role="alert">${escapeHtml(m.error)}</p>` : ""}
<form method="post" action="${escapeHtml(m.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(m.csrf)}">
<label for="login">Email or username</label>
<input type="text" id="login" name="login" value="${escapeHtml(m.login ?? "")}" autocomplete="username" autocapitalize="off" spellcheck="false" required autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Sign in</button></div>
</form>
<form method="post" action="${escapeHtml(m.abortAction)}">
<input type="hidden" name="csrf" value="${escapeHtml(m.csrf)}">
<div class="actions"><button type="submit" class="secondary">Cancel</button></div>
</form>`,
  );
}

export type ConsentPageModel = {
  action: string;
  abortAction: string;
  csrf: string;
  clientName: string;
  username: string;
  /** Scopes this consent will grant. */
  scopes: string[];
  /** Requested scopes the user's role cannot grant; the client will not get them. */
  unavailable: string[];
};

const scopeList = (scopes: string[]) =>
  `<ul class="scopes">${scopes
    .map((s) => `<li>${escapeHtml(scopeDescriptions[s] ?? s)} <code>${escapeHtml(s)}</code></li>`)
    .join("")}</ul>`;

/** The consent form: what the client asks for, what it will get. */
export function consentPage(m: ConsentPageModel): string {
  return layout(
    "Allow access",
    `<h1>Allow ${escapeHtml(m.clientName)}?</h1>
<p class="lead">Signed in as <strong>${escapeHtml(m.username)}</strong>. ${escapeHtml(m.clientName)} asks to:</p>
${m.scopes.length > 0 ? scopeList(m.scopes) : "<p>Confirm who you are.</p>"}
${m.unavailable.length > 0 ? `<div class="unavailable">Your account cannot grant, so it will not get:${scopeList(m.unavailable)}</div>` : ""}
<form method="post" action="${escapeHtml(m.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(m.csrf)}">
<div class="actions"><button type="submit">Allow</button></div>
</form>
<form method="post" action="${escapeHtml(m.abortAction)}">
<input type="hidden" name="csrf" value="${escapeHtml(m.csrf)}">
<div class="actions"><button type="submit" class="secondary">Deny</button></div>
</form>`,
  );
}

/** A dead end the user can read: what went wrong and what to do. */
export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

/** The sign-out confirmation; `form` is oidc-provider's form (with its xsrf token), which the buttons submit. */
export function logoutPage(form: string, host: string): string {
  return layout(
    "Sign out",
    `<h1>Sign out of ${escapeHtml(host)}?</h1>
${form}
<div class="actions">
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Only sign out of this app</button>
</div>`,
  );
}
