// One place where a REST operation is declared: its zod schemas validate the request and
// describe the response, the same declaration registers it in the version's OpenAPI document,
// and the handler is only a thin adapter over a command or query. So no route can be mounted
// undocumented, and no documented shape can drift from what is validated.
import { OpenAPIRegistry, type ResponseConfig, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { type Request, type Response, Router } from "express";
import { z } from "zod";
import type { Actor } from "../auth/actor.js";
import { requireActor } from "../auth/middleware.js";
import { DomainError, type ErrorCode, errorCatalog } from "../errors.js";
import { type ResponseCache, sendKept } from "../http/response-cache.js";
import { representationETag } from "./conditional.js";
import { problemExamples } from "./problem-examples.js";
import { parseInput } from "./validate.js";
import { type ApiVersion, acceptableAt, v1DeprecationHeaders, versionMediaType } from "./versioning.js";

/**
 * What a handler answers: status, JSON body (none for 204/304) and extra headers. `version`: the
 * body represents a versioned resource at this version, which its ETag then starts with (for
 * If-Match, see conditional.ts); a write's answer carries an ETag only when it says so.
 */
export type ApiAnswer = { status: number; body?: unknown; headers?: Record<string, string>; version?: number };

// What a handler gets: the parsed input and the caller (absent when anonymous; the commands decide what it may do).
type Input<P, Q, B> = { params: P; query: Q; body: B; actor: Actor | undefined; req: Request; res: Response };

export type OperationSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  method: "get" | "post" | "patch" | "delete";
  /** Express path, e.g. /products/:id (documented as /products/{id}). */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  /** OAuth scopes the command behind it requires, as documented; omitted for public reads (a token is still honoured). */
  scopes?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers the operation reads (If-Match, Idempotency-Key, …), documented as parameters. */
  headers?: z.ZodObject;
  success: { status: number; description: string; schema?: z.ZodType; headers?: Record<string, string> };
  /** Supports If-None-Match: documents a 304. */
  conditional?: boolean;
  /**
   * A public catalog read whose answer depends on nothing but the URL (not on who asks): answers
   * are kept in the response cache until the catalog changes.
   */
  cacheable?: boolean;
  /** Domain errors this operation can answer with, besides the ones every operation can. */
  errors: ErrorCode[];
  handler: (input: Input<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<ApiAnswer>;
};

/** `res.locals` key a middleware sets when it checks what res.json is given: operations then send through res.json. */
export const checksResJson = "stockroomChecksResJson";

/** The RFC 9457 problem document every error answers with. */
export const problemSchema = z
  .object({
    type: z.string().meta({ description: "The problem type: `/problems/` and the code in kebab case" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.enum(Object.keys(errorCatalog) as [ErrorCode, ...ErrorCode[]]),
    errors: z
      .array(
        z.union([z.object({ detail: z.string(), pointer: z.string() }), z.object({ detail: z.string(), parameter: z.string() })]),
      )
      .optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

// Every operation can meet these: bad input, an Accept it cannot satisfy, a bad token (public
// reads verify one that is sent), and our own failure.
const alwaysPossible: ErrorCode[] = ["ValidationFailed", "NotAcceptable", "Unauthenticated", "Internal"];

const publicOperationNote =
  "Public: no access token needed. A token sent anyway is still verified, and an invalid or expired one answers 401.";

const conditionalGetETag =
  "Strong validator of these bytes: it changes whenever they do. Send it in `If-None-Match` for a 304 while it is current.";

function documentedResponses<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  spec: OperationSpec<P, Q, B>,
  version: ApiVersion,
): Record<number, ResponseConfig> {
  const successHeaders = {
    ...(spec.method === "get" && spec.conditional ? { ETag: conditionalGetETag } : {}),
    ...spec.success.headers,
  };
  const responses: Record<number, ResponseConfig> = {
    [spec.success.status]: {
      description: spec.success.description,
      ...(Object.keys(successHeaders).length > 0
        ? {
            headers: Object.fromEntries(
              Object.entries(successHeaders).map(([name, description]) => [name, { description, schema: { type: "string" } }]),
            ),
          }
        : {}),
      ...(spec.success.schema ? { content: { [versionMediaType(version)]: { schema: spec.success.schema } } } : {}),
    },
  };
  if (spec.conditional) responses[304] = { description: "Not modified: your cached copy (If-None-Match) is current." };
  const codes = new Set<ErrorCode>([...alwaysPossible, ...spec.errors, ...(spec.scopes ? (["Forbidden"] as const) : [])]);
  if (spec.body) codes.add("MalformedBody").add("PayloadTooLarge").add("UnsupportedMediaType");
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(errorCatalog[code].status, [...(byStatus.get(errorCatalog[code].status) ?? []), code]);
  const instance = `/api/v${version}${toOpenApiPath(spec.path)}`.replace(/\{\w+\}/g, "42");
  const context = { scopes: spec.scopes ?? [], hasBody: spec.body !== undefined };
  for (const [status, group] of byStatus) {
    responses[status] = {
      description: group.map((code) => errorCatalog[code].title).join(" / "),
      content: {
        "application/problem+json": { schema: problemSchema, examples: problemExamples(group, instance, context) },
      },
    };
  }
  return responses;
}

/** One API version: its Express router and its OpenAPI registry, filled by the same declarations. */
export class VersionedApi {
  readonly router = Router();
  readonly registry = new OpenAPIRegistry();
  private readonly methodsByPath = new Map<string, string[]>();

  constructor(
    readonly version: ApiVersion,
    /** v2 rejects unknown body fields; v1 ignores them and names them in a Warning header. */
    private readonly unknownFields: "reject" | "ignore",
    /** Where cacheable answers are kept (the core's writes empty it). */
    private readonly cache?: ResponseCache,
  ) {
    this.router.use(acceptableAt(version));
    if (version === 1) this.router.use(v1DeprecationHeaders);
  }

  /** Declares, documents and mounts one operation. */
  operation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(spec: OperationSpec<P, Q, B>): void {
    const request: RouteConfig["request"] = {
      ...(spec.params ? { params: spec.params as unknown as z.ZodObject } : {}),
      ...(spec.query ? { query: spec.query as unknown as z.ZodObject } : {}),
      ...(spec.headers ? { headers: spec.headers } : {}),
      ...(spec.body ? { body: { required: true, content: { "application/json": { schema: spec.body } } } } : {}),
    };
    this.registry.registerPath({
      method: spec.method,
      path: toOpenApiPath(spec.path),
      operationId: spec.operationId,
      summary: spec.summary,
      description: spec.scopes ? spec.description : `${spec.description}\n\n${publicOperationNote}`,
      tags: [spec.tag],
      // A public operation declares no requirement (an empty list: no padlock in Swagger UI);
      // that a token is still verified when sent is said in its description.
      security: spec.scopes ? [{ oauth2: spec.scopes }] : [],
      request,
      responses: documentedResponses(spec, this.version),
    });
    this.methodsByPath.set(spec.path, [...(this.methodsByPath.get(spec.path) ?? []), spec.method.toUpperCase()]);
    // Authentication only (who is calling, 401 first); the commands decide what the caller may do.
    const guards = spec.scopes ? [requireActor] : [];
    const cache = spec.cacheable && spec.method === "get" && this.cache?.enabled ? this.cache : undefined;
    const contentType = `${versionMediaType(this.version)}; charset=utf-8`;
    this.router[spec.method](spec.path, ...guards, async (req: Request, res: Response) => {
      // The answer depends on the URL alone, so whoever asks may get a kept one; a token that
      // came with the request has been verified already (a bad one never gets this far).
      const cacheKey = cache ? `${this.version} ${req.originalUrl}` : undefined;
      const hit = cacheKey ? cache?.get(cacheKey) : undefined;
      if (hit) {
        sendKept(res, hit);
        return;
      }
      const readToken = cache?.startRead() ?? 0;
      const params = spec.params ? parseInput(spec.params, req.params, "path") : {};
      // Only validated: handlers read headers through req, and the documented schema is the rule.
      if (spec.headers) parseInput(spec.headers, req.headers, "header");
      const query = spec.query ? parseInput(spec.query, req.query, "query") : {};
      const body = spec.body ? this.parseBody(spec.body, req, res) : undefined;
      const input = { params, query, body, actor: req.actor, req, res } as Input<z.infer<P>, z.infer<Q>, z.infer<B>>;
      const answer = await spec.handler(input);
      if (answer.headers) res.set(answer.headers);
      if (answer.body === undefined) {
        res.status(answer.status).end();
        return;
      }
      if (!res.get("Content-Type")) res.setHeader("Content-Type", contentType);
      const type = String(res.get("Content-Type"));
      // Serialized once: these bytes are hashed for the ETag, sent (res.send would make a string
      // this long into bytes anyway, and reparse its Content-Type), and kept by the response cache.
      const bytes = Buffer.from(JSON.stringify(answer.body));
      // The representation's ETag, from the very bytes sent (conditional.ts); a cache hit reuses it.
      const tagged = spec.method === "get" ? spec.conditional && answer.status === 200 : answer.version !== undefined;
      if (tagged) res.setHeader("ETag", representationETag(type, bytes, answer.version));
      res.status(answer.status);
      // The response validator (VALIDATE_RESPONSES, outside production) checks what res.json is handed.
      if (res.locals[checksResJson]) res.json(answer.body);
      else res.send(bytes);
      if (cacheKey && answer.status === 200) {
        const headers: Record<string, string> = { ...answer.headers, "Content-Type": type };
        const etag = res.get("ETag");
        if (etag) headers.ETag = etag;
        cache?.keep(cacheKey, readToken, { body: bytes, headers });
      }
    });
  }

  /**
   * Answers 405 with an Allow header (RFC 9110 §15.5.6) for a known path asked with a method it
   * does not support. Call once, after the last operation: these routes only catch what no operation matched.
   */
  rejectOtherMethods(): void {
    for (const [path, methods] of this.methodsByPath) {
      const allow = [...new Set(methods.includes("GET") ? [...methods, "HEAD"] : methods)].join(", ");
      this.router.all(path, (req, res, next) => {
        res.set("Allow", allow);
        next(new DomainError("MethodNotAllowed", `${req.method} is not supported here; use ${allow}.`));
      });
    }
  }

  private parseBody<B extends z.ZodType>(schema: B, req: Request, res: Response): z.infer<B> {
    if (req.body === undefined)
      throw new DomainError("ValidationFailed", "This request needs a JSON body.", [{ detail: "required", field: [] }]);
    const result = schema.safeParse(req.body);
    if (!result.success && this.unknownFields === "ignore") {
      const unknown = result.error.issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys : []));
      const onlyUnknown = unknown.length > 0 && result.error.issues.every((issue) => issue.code === "unrecognized_keys");
      if (onlyUnknown && typeof req.body === "object" && req.body !== null) {
        res.set("Warning", `299 stockroom "ignored unknown fields: ${unknown.join(", ")}"`);
        const known = Object.fromEntries(Object.entries(req.body).filter(([key]) => !unknown.includes(key)));
        return parseInput(schema, known, "body");
      }
    }
    return parseInput(schema, req.body, "body");
  }
}
