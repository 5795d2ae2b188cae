// Errors of the API module: a problem document (RFC 9457) the server answered, or no answer at all.

export type FieldError = { detail: string; pointer?: string; parameter?: string };

export type ProblemDocument = {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
};

/** The server answered with an error status; `problem` is its problem+json (or what could be made of the answer). */
export class ApiProblem extends Error {
  constructor(readonly problem: ProblemDocument) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = "ApiProblem";
  }

  get status() {
    return this.problem.status;
  }

  get code() {
    return this.problem.code;
  }
}

/** The request never got an answer (offline, server down, aborted). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super("The server could not be reached.", { cause });
    this.name = "NetworkError";
  }
}

/** Reads an error answer into a problem document, whatever its media type. */
export async function problemFrom(response: Response): Promise<ProblemDocument> {
  const type = response.headers.get("content-type") ?? "";
  if (/json/.test(type)) {
    const body = (await response.json().catch(() => undefined)) as Partial<ProblemDocument> | undefined;
    if (body && typeof body === "object") return { ...body, status: response.status };
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}` };
}

const fieldName = (error: FieldError) => (error.pointer ?? error.parameter ?? "").replace(/^#?\//, "").replaceAll("/", ".");

/** A sentence a person can act on, for any error the API module throws. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return "The server could not be reached. Check your connection and try again.";
  if (!(error instanceof ApiProblem)) return error instanceof Error ? error.message : String(error);
  const { status, detail, title, errors } = error.problem;
  const fields = (errors ?? []).map((e) => (fieldName(e) ? `${fieldName(e)}: ${e.detail}` : e.detail));
  const base = detail ?? title ?? `The server answered ${status}.`;
  if (status === 401) return "Your sign-in has ended. Sign in again to continue.";
  if (status === 403) return `You are not allowed to do this. ${base}`;
  return fields.length > 0 ? `${base} ${fields.join("; ")}` : base;
}
