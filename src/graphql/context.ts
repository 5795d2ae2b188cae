import type { Actor } from "../auth/actor.js";
import type { Modules } from "../modules/index.js";
import type { TopicHub } from "../realtime/hub.js";
import { createLoaders, type Loaders } from "./loaders.js";

/** What every resolver of one operation gets: who calls, the core, and this operation's loaders. */
export type GraphQLContext = {
  /** The verified caller; undefined for an anonymous request (commands then answer Unauthenticated). */
  actor: Actor | undefined;
  modules: Modules;
  /** This operation's loaders; a subscription gets fresh ones for each event, so nothing it shows is stale. */
  loaders: Loaders;
  /** When this operation must have finished (performance.now() time); past it, resolvers stop with Unavailable. */
  deadline: number;
  /** The realtime hub, on the socket (subscriptions); absent over HTTP. */
  hub?: TopicHub;
};

/** A fresh context (and fresh loaders: nothing cached outlives its operation). */
export function createContext(modules: Modules, actor: Actor | undefined, timeoutMs: number, hub?: TopicHub): GraphQLContext {
  return { actor, modules, loaders: createLoaders(modules), deadline: performance.now() + timeoutMs, ...(hub ? { hub } : {}) };
}
