/**
 * The documents function's HTTP handler (docs/documents.md): what a signed-in user does with
 * their documents after the interview. Every route needs the caller's access token
 * (`Authorization: Bearer`), verified as the chat verifies it; every read runs under RLS as
 * the caller (DocumentReads).
 *
 *   GET /documents?limit=&cursor=     the caller's documents, newest first
 *   GET /documents/:id                one document as JSON
 *   GET /documents/:id?format=F       a download, F one of md, html, docx, pdf
 *   PATCH /documents/:id              rename a document: { "title": "..." }
 *   DELETE /documents/:id             delete a document (and the interview it came from)
 *   GET /interviews?limit=&cursor=    per template: the open drafts and the finished ones,
 *                                     the finished paged as /documents pages documents
 *   DELETE /interviews/:id            discard an open draft
 *
 * The writes are in write_routes.ts; every write runs as the caller too (DocumentWrites).
 *
 * Paths may carry the hosted prefix `/functions/v1/documents`, under which the function sees
 * `/documents/...`: `/documents/interviews` is the same route as `/interviews`.
 */
import { bearerToken } from "../_shared/platform/bearer_token.ts";
import { isConnectionError } from "../_shared/platform/connection_error.ts";
import { jsonResponse } from "../_shared/platform/json_response.ts";
import { describeError, type Logger } from "../_shared/platform/logger.ts";
import {
  TokenError,
  type TokenVerifier,
  type VerifiedToken,
} from "../_shared/platform/token_verifier.ts";
import { isUuid } from "../_shared/platform/uuid.ts";
import type { DocumentReads, Page } from "./document_reads.ts";
import type { DocumentWrites } from "./document_writes.ts";
import {
  DocumentTooLargeError,
  DOWNLOAD_FORMATS,
  type DownloadFile,
  isDownloadFormat,
  renderDownload,
} from "./download.ts";
import { contentDisposition } from "./file_name.ts";
import { decodeCursor } from "./page_cursor.ts";
import { deleteDocument, discardDraft, renameDocument, type WriteOutcome } from "./write_routes.ts";

export interface DocumentsHandlerOptions {
  reads: DocumentReads;
  writes: DocumentWrites;
  verifier: TokenVerifier;
  /** Access-Control-Allow-Origin: "*" (the default) or one origin. */
  allowedOrigin?: string;
  log?: Logger;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const PREFLIGHT_METHODS = "GET, PATCH, DELETE, OPTIONS";

type Route =
  | { name: "list" }
  | { name: "document"; id: string }
  | { name: "interviews" }
  | { name: "interview"; id: string };

/** The methods each route answers (OPTIONS aside). */
const METHODS: Record<Route["name"], readonly string[]> = {
  list: ["GET"],
  document: ["GET", "PATCH", "DELETE"],
  interviews: ["GET"],
  interview: ["DELETE"],
};

/** The route of a path, or undefined. */
export function matchRoute(pathname: string): Route | undefined {
  const path = pathname.replace(/^\/functions\/v1(?=\/)/, "").replace(/\/+$/, "");
  if (path === "/documents") return { name: "list" };
  if (path === "/interviews" || path === "/documents/interviews") return { name: "interviews" };
  const draft = /^(?:\/documents)?\/interviews\/([^/]+)$/.exec(path);
  if (draft) return { name: "interview", id: decodePathSegment(draft[1]!) };
  const one = /^\/documents\/([^/]+)$/.exec(path);
  if (one) return { name: "document", id: decodePathSegment(one[1]!) };
  return undefined;
}

/** A path segment percent-decoded, or as it is when its escapes are malformed. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function createDocumentsHandler(
  options: DocumentsHandlerOptions,
): (request: Request) => Promise<Response> {
  const origin = options.allowedOrigin ?? "*";
  const cors: Record<string, string> = {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": "content-disposition",
    ...(origin === "*" ? {} : { vary: "Origin" }),
  };
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    jsonResponse(status, body, {
      ...cors,
      "content-type": "application/json; charset=utf-8",
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      ...headers,
    });
  const error = (status: number, code: string, message: string, extra = {}, headers = {}) =>
    json(status, { error: message, code, ...extra }, headers);

  const route = async (request: Request, url: URL, log: Record<string, unknown>) => {
    const matched = matchRoute(url.pathname);
    if (request.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: {
          ...cors,
          "access-control-allow-methods": PREFLIGHT_METHODS,
          "access-control-allow-headers": "authorization, x-client-info, apikey, content-type",
          "access-control-max-age": "86400",
        },
      });
    }
    if (!matched) {
      return error(404, "not_found", `No route for ${request.method} ${url.pathname}`);
    }
    log.route = matched.name;
    const methods = METHODS[matched.name];
    if (!methods.includes(request.method)) {
      return error(
        405,
        "method_not_allowed",
        `Method ${request.method} is not allowed: use ${methods.join(" or ")}`,
        {},
        { allow: [...methods, "OPTIONS"].join(", ") },
      );
    }

    const identity = await authenticate(request.headers.get("authorization"));
    if (identity instanceof Response) return identity;
    log.userId = identity.userId;
    const claims = identity.claims;

    switch (matched.name) {
      case "list": {
        const page = pageOf(url.searchParams);
        if (page instanceof Response) return page;
        return json(200, await options.reads.list(claims, page));
      }
      case "interviews": {
        const page = pageOf(url.searchParams);
        if (page instanceof Response) return page;
        return json(200, await options.reads.interviews(claims, page));
      }
      case "interview": {
        if (!isUuid(matched.id)) {
          return error(400, "invalid_id", `Draft id "${matched.id.slice(0, 60)}" is not a UUID`);
        }
        return respond(await discardDraft(options.writes, claims, matched.id.toLowerCase()));
      }
      case "document": {
        if (!isUuid(matched.id)) {
          return error(400, "invalid_id", `Document id "${matched.id.slice(0, 60)}" is not a UUID`);
        }
        const id = matched.id.toLowerCase();
        if (request.method === "PATCH") {
          return respond(await renameDocument(options.writes, claims, id, request));
        }
        if (request.method === "DELETE") {
          return respond(await deleteDocument(options.writes, claims, id));
        }
        const format = url.searchParams.get("format");
        if (format !== null && !isDownloadFormat(format)) {
          return error(
            400,
            "unknown_format",
            `Format "${format.slice(0, 20)}" is not offered: use one of ${
              DOWNLOAD_FORMATS.join(", ")
            }`,
            { formats: DOWNLOAD_FORMATS },
          );
        }
        const document = await options.reads.get(claims, matched.id.toLowerCase());
        if (!document) {
          return error(404, "not_found", "There is no document with this id among yours");
        }
        if (format === null) return json(200, { ...document, formats: DOWNLOAD_FORMATS });
        log.format = format;
        const file = await downloadOf(document, format);
        if (file instanceof DocumentTooLargeError) {
          return error(
            413,
            "document_too_large",
            `${file.message}, so it cannot be downloaded as a file. Its text is in the JSON ` +
              "view of the document (without ?format)",
            { characters: file.oversize.characters, maxCharacters: file.oversize.max },
          );
        }
        return new Response(file.body, {
          status: 200,
          headers: {
            ...cors,
            "content-type": file.contentType,
            "content-disposition": contentDisposition(document.title, file.extension),
            "cache-control": "private, no-store",
            "x-content-type-options": "nosniff",
            // Opened rather than saved, the HTML file still runs nothing and loads nothing.
            "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
          },
        });
      }
    }
  };

  const respond = (outcome: WriteOutcome): Response => {
    if (outcome.status === 204) {
      return new Response(null, {
        status: 204,
        headers: { ...cors, "cache-control": "private, no-store" },
      });
    }
    if ("body" in outcome) return json(outcome.status, outcome.body);
    return error(outcome.status, outcome.code, outcome.message);
  };

  const downloadOf = async (
    ...args: Parameters<typeof renderDownload>
  ): Promise<DownloadFile | DocumentTooLargeError> => {
    try {
      return await renderDownload(...args);
    } catch (caught: unknown) {
      if (caught instanceof DocumentTooLargeError) return caught;
      throw caught;
    }
  };

  const authenticate = async (header: string | null): Promise<VerifiedToken | Response> => {
    const challenge = { "www-authenticate": 'Bearer realm="documents"' };
    const token = bearerToken(header);
    if (header === null || header.trim() === "") {
      return error(
        401,
        "missing",
        "Sign in first: send your access token as Authorization: Bearer <token>",
        {},
        challenge,
      );
    }
    if (token === undefined) {
      return error(
        401,
        "malformed",
        'The Authorization header must read "Bearer <access token>"',
        {},
        challenge,
      );
    }
    try {
      return await options.verifier.verify(token);
    } catch (caught: unknown) {
      if (!(caught instanceof TokenError)) throw caught;
      if (caught.reason === "keys_unavailable") {
        return error(503, "keys_unavailable", "Sign-in keys could not be loaded; try again soon");
      }
      const message = caught.reason === "expired"
        ? "Your access token has expired: refresh it and try again"
        : `Your access token was refused: ${caught.message}`;
      return error(401, caught.reason, message, {}, challenge);
    }
  };

  const pageOf = (params: URLSearchParams): Page | Response => {
    if (params.has("page")) {
      return error(
        400,
        "invalid_parameter",
        'Pages are not numbered: pass the "nextCursor" of a page as "cursor"',
      );
    }
    const limitText = params.get("limit");
    const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT || limitText === "") {
      return error(
        400,
        "invalid_limit",
        `Limit "${String(limitText).slice(0, 20)}" is not a whole number from 1 to ${MAX_LIMIT}`,
      );
    }
    const cursor = params.get("cursor");
    if (cursor === null || cursor === "") return { limit };
    try {
      return { limit, after: decodeCursor(cursor) };
    } catch (caught: unknown) {
      if (!(caught instanceof RangeError)) throw caught;
      return error(400, "invalid_cursor", caught.message);
    }
  };

  return async (request) => {
    const started = performance.now();
    const url = new URL(request.url);
    const fields: Record<string, unknown> = { method: request.method, path: url.pathname };
    let response: Response;
    try {
      response = await route(request, url, fields);
    } catch (caught: unknown) {
      const unavailable = isConnectionError(caught);
      fields.error = describeError(caught);
      response = unavailable
        ? error(503, "database_unavailable", "The database cannot be reached now; try again soon")
        : error(500, "internal", "Something went wrong while reading your documents; try again");
    }
    const status = response.status;
    const entry = { ...fields, status, durationMs: Math.round(performance.now() - started) };
    if (status >= 500) options.log?.error("documents_request", entry);
    else if (status >= 400) options.log?.warn("documents_request", entry);
    else options.log?.info("documents_request", entry);
    return response;
  };
}
