// Silent sign-in (`prompt=none`) in a hidden iframe: the provider answers at once, with a code
// while its session cookie lives and with `error=login_required` otherwise, and never shows a
// page. The iframe lands on this app's /callback, which only hands its URL to the parent
// (see `isSilentCallbackFrame`), so the page the user is on keeps its state.

const messageType = "stockroom:silent-callback";

/** True when this document is the /callback of a silent sign-in, framed by this app. */
export function isSilentCallbackFrame(): boolean {
  return window.parent !== window && window.location.pathname === "/callback";
}

/** In the iframe: passes the authorization response to the app that opened it. */
export function handOverSilentCallback(): void {
  window.parent.postMessage({ type: messageType, url: window.location.href }, window.location.origin);
}

/** Loads `authorizationUrl` in a hidden iframe and resolves with the callback URL it reached. */
export function runSilentAuthorization(authorizationUrl: URL, timeoutMs = 10_000): Promise<URL> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement("iframe");
    frame.hidden = true;
    frame.title = "Silent sign-in";
    frame.setAttribute("aria-hidden", "true");
    const finish = () => {
      window.removeEventListener("message", onMessage);
      clearTimeout(timer);
      frame.remove();
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.source !== frame.contentWindow) return;
      const data = event.data as { type?: string; url?: string } | undefined;
      if (data?.type !== messageType || typeof data.url !== "string") return;
      finish();
      resolve(new URL(data.url));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error("silent sign-in timed out"));
    }, timeoutMs);
    window.addEventListener("message", onMessage);
    frame.src = authorizationUrl.href;
    document.body.append(frame);
  });
}
