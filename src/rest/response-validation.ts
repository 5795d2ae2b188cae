import type { RequestHandler } from "express";
import type { OpenAPIV3 } from "express-openapi-validator/dist/framework/types.js";
import type { Config } from "../config.js";
import { openApiDocument } from "./openapi.js";
import { checksResJson, type VersionedApi } from "./operations.js";

/**
 * Checks every JSON answer of /api/vN against the document of version N (express-openapi-validator).
 * A mismatch is logged as an error, never hidden from the caller; tests read those log lines.
 */
export async function responseValidation(apis: VersionedApi[], config: Pick<Config, "publicUrl">): Promise<RequestHandler[]> {
  // Imported only when asked for (VALIDATE_RESPONSES, on outside production): with its JSON Schema
  // compiler and YAML parser it is the largest package of the process (~20 MiB of RSS).
  const OpenApiValidator = await import("express-openapi-validator");
  // The validator hooks res.json: operations must hand their bodies to it (see operations.ts).
  const sendThroughResJson: RequestHandler = (_req, res, next) => {
    res.locals[checksResJson] = true;
    next();
  };
  return [
    sendThroughResJson,
    ...apis.flatMap((api) =>
      OpenApiValidator.middleware({
        apiSpec: openApiDocument(api, config) as unknown as OpenAPIV3.DocumentV3_1,
        validateRequests: false,
        validateResponses: {
          onError: (error, body, req) =>
            req.log.error(
              { err: error, responseBody: body, path: req.originalUrl },
              "response does not match the OpenAPI document",
            ),
        },
        ignoreUndocumented: true,
        validateSecurity: false,
        validateFormats: true,
      }),
    ),
  ];
}
