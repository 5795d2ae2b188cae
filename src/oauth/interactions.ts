import { readFileSync } from "node:fs";
import express, { type ErrorRequestHandler, type Request, type Response, Router } from "express";
import { errors, type Provider } from "oidc-provider";
import type { PrismaClient } from "../db/prisma.js";
import type { Logger } from "../logger.js";
import { findAccountById, findLoginSubject, verifyLoginPassword } from "../modules/accounts/sign-in.js";
import { planConsent, saveConsent } from "./consent.js";
import { crossOriginReason, csrfTokenFor, csrfTokenValid } from "./csrf.js";
import type { LoginThrottle } from "./login-throttle.js";
import { consentPage, loginPage, messagePage, pageHeaders } from "./pages.js";
import { oauthMountPath } from "./paths.js";

const stylesheet = readFileSync(new URL("./style.css", import.meta.url), "utf8");

export type InteractionDependencies = {
  /** The current provider (it is rebuilt when keys rotate). */
  provider: () => Provider;
  /** Current cookie keys, newest first (they also key the form tokens). */
  cookieKeys: () => readonly string[];
  prisma: PrismaClient;
  throttle: LoginThrottle;
  /** Origin of PUBLIC_URL, for the Origin check of form posts. */
  publicOrigin: string;
  logger: Logger;
};

const badCredentials = "The email, username or password is not correct.";

class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

const expired = () =>
  new PageError(
    400,
    "This page has expired",
    "Your sign-in took too long or was already completed. Go back to the app and start again.",
  );

function sendPage(res: Response, status: number, html: string, headers: Record<string, string> = {}) {
  res
    .status(status)
    .set({ ...pageHeaders, ...headers })
    .type("html")
    .send(html);
}

/** The login and consent pages oidc-provider sends the browser to (`interactions.url`), and their stylesheet. */
export function interactionRoutes(deps: InteractionDependencies): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "8kb", parameterLimit: 10 });
  const paths = (uid: string) => ({
    login: `${oauthMountPath}/interaction/${uid}/login`,
    confirm: `${oauthMountPath}/interaction/${uid}/confirm`,
    abort: `${oauthMountPath}/interaction/${uid}/abort`,
  });

  async function interactionOf(req: Request, res: Response, prompt?: string) {
    const provider = deps.provider();
    const interaction = await provider.interactionDetails(req, res);
    if (interaction.uid !== req.params.uid || (prompt && interaction.prompt.name !== prompt)) throw expired();
    const client = await provider.Client.find(String(interaction.params.client_id));
    return { provider, interaction, clientName: client?.clientName ?? String(interaction.params.client_id) };
  }

  /** Refuses a form post that is not from our own page, logging which check failed. */
  function checkForm(req: Request, form: string) {
    const uid = String(req.params.uid);
    const reason =
      crossOriginReason(req, deps.publicOrigin) ??
      (csrfTokenValid(uid, req.body?.csrf, deps.cookieKeys()) ? undefined : "the CSRF token is missing or not valid");
    if (reason === undefined) return;
    req.log.warn({ form, reason, address: req.ip }, `${form} refused: ${reason}`);
    throw new PageError(
      403,
      "Request refused",
      "This form was not sent from Stockroom's own page. Go back to the app and start again.",
    );
  }

  router.get("/assets/stockroom.css", (_req, res) => {
    res.set({ "Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff" }).type("css").send(stylesheet);
  });

  router.get("/interaction/:uid", async (req, res) => {
    const { interaction, clientName } = await interactionOf(req, res);
    const uid = interaction.uid;
    const csrf = csrfTokenFor(uid, deps.cookieKeys());
    const to = paths(uid);
    if (interaction.prompt.name === "login") {
      return sendPage(res, 200, loginPage({ action: to.login, abortAction: to.abort, csrf, clientName }));
    }
    if (interaction.prompt.name !== "consent") throw expired();
    const account = await findAccountById(deps.prisma, Number(interaction.session?.accountId));
    if (!account) throw expired();
    const plan = planConsent(interaction, account.role);
    sendPage(
      res,
      200,
      consentPage({
        action: to.confirm,
        abortAction: to.abort,
        csrf,
        clientName,
        username: account.username,
        scopes: [...plan.oidcScopes, ...plan.resources.flatMap((r) => r.granted)],
        unavailable: plan.resources.flatMap((r) => r.refused),
      }),
    );
  });

  router.post("/interaction/:uid/login", form, async (req, res) => {
    checkForm(req, "sign-in");
    const { provider, interaction, clientName } = await interactionOf(req, res, "login");
    const login = String(req.body.login ?? "").slice(0, 254);
    const password = String(req.body.password ?? "").slice(0, 1024);
    const address = req.ip ?? "unknown";
    const to = paths(interaction.uid);
    const again = (status: number, error: string, headers: Record<string, string> = {}) =>
      sendPage(
        res,
        status,
        loginPage({
          action: to.login,
          abortAction: to.abort,
          csrf: csrfTokenFor(interaction.uid, deps.cookieKeys()),
          clientName,
          login,
          error,
        }),
        headers,
      );

    // The limit is per account, whichever identifier was typed (email or username).
    const subject = await findLoginSubject(deps.prisma, login);
    const attempt = await deps.throttle.attempt(
      subject.account ? { accountId: subject.account.id } : { unknownLogin: login },
      address,
    );
    if (!attempt.allowed) {
      req.log.warn({ address, reason: "too many failed attempts" }, "sign-in refused: too many failed attempts");
      const minutes = Math.ceil(attempt.retryAfterSeconds / 60);
      return again(429, `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, {
        "Retry-After": String(attempt.retryAfterSeconds),
      });
    }
    const account = await verifyLoginPassword(subject, password);
    if (!account) {
      req.log.info({ address, reason: "wrong login or password" }, "sign-in failed: wrong login or password");
      return again(401, badCredentials);
    }
    await attempt.succeeded();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: String(account.id) } },
      { mergeWithLastSubmission: false },
    );
  });

  router.post("/interaction/:uid/confirm", form, async (req, res) => {
    checkForm(req, "consent");
    const { provider, interaction } = await interactionOf(req, res, "consent");
    const accountId = interaction.session?.accountId;
    const account = await findAccountById(deps.prisma, Number(accountId));
    if (!accountId || !account) throw expired();
    const grantId = await saveConsent(provider, interaction, accountId, planConsent(interaction, account.role));
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  });

  router.post("/interaction/:uid/abort", form, async (req, res) => {
    checkForm(req, "cancel");
    const { provider } = await interactionOf(req, res);
    const result = { error: "access_denied", error_description: "The user declined to sign in or to grant access." };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  });

  router.use(interactionErrorPage(deps.logger));
  return router;
}

/** Errors on these routes are HTML pages for a person, not problem+json. */
function interactionErrorPage(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof PageError) return sendPage(res, error.status, messagePage(error.title, error.message));
    if (error instanceof errors.SessionNotFound) {
      const page = expired();
      return sendPage(res, page.status, messagePage(page.title, page.message));
    }
    if (error instanceof errors.OIDCProviderError && error.statusCode < 500) {
      return sendPage(res, error.statusCode, messagePage("Something went wrong", error.error_description ?? error.message));
    }
    const status = Number((error as { status?: unknown }).status);
    if (status >= 400 && status < 500)
      return sendPage(res, status, messagePage("Request refused", "The form could not be read."));
    (req.log ?? logger).error({ err: error }, "sign-in page failed");
    sendPage(
      res,
      500,
      messagePage("Something went wrong", "An unexpected error occurred; it has been logged. Please try again."),
    );
  };
}
