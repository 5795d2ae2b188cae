import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

// A few client routes over the History API: the app has four pages, which does not need a router
// library. The server answers each of these paths with the app (see src/http/web-client.ts).

const changed = "stockroom:navigate";

/** Goes to `to` (a path with an optional query) without a reload. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new Event(changed));
}

function subscribe(listener: () => void) {
  window.addEventListener("popstate", listener);
  window.addEventListener(changed, listener);
  return () => {
    window.removeEventListener("popstate", listener);
    window.removeEventListener(changed, listener);
  };
}

const currentHref = () => window.location.href;

/** The current URL; re-renders on every navigation. */
export function useLocation(): URL {
  return new URL(useSyncExternalStore(subscribe, currentHref));
}

/** An `<a>` that navigates in the app (a modified click still opens a new tab). */
export function Link({ href, onClick, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={follow} {...props} />;
}
