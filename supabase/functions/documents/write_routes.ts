/**
 * The documents function's writes, as routes: what each answers, apart from how the handler
 * writes a response (its JSON and CORS headers), so that the handler only dispatches.
 *
 *   PATCH  /documents/:id    { "title": "..." }   rename a document: 200 { id, title }
 *   DELETE /documents/:id                          delete a document and its interview: 204
 *   DELETE /interviews/:id                         discard an open draft: 204
 *
 * Another user's id answers 404 exactly as a missing one.
 */
import type { Claims } from "./document_reads.ts";
import type { DocumentWrites } from "./document_writes.ts";
import { MAX_RENAME_BODY_BYTES, parseTitleInput } from "./title_input.ts";

/** What a write answers: a JSON body, no body (204), or an error the handler shapes. */
export type WriteOutcome =
  | { status: 200; body: unknown }
  | { status: 204 }
  | { status: 400 | 404 | 409 | 413 | 415; code: string; message: string };

const NOT_FOUND_DOCUMENT: WriteOutcome = {
  status: 404,
  code: "not_found",
  message: "There is no document with this id among yours",
};

export async function renameDocument(
  writes: DocumentWrites,
  claims: Claims,
  id: string,
  request: Request,
): Promise<WriteOutcome> {
  const type = request.headers.get("content-type");
  if (type !== null && !/^application\/json\s*(;|$)/i.test(type)) {
    return {
      status: 415,
      code: "unsupported_media_type",
      message: `Send the new title as application/json, not ${type.slice(0, 60)}`,
    };
  }
  const text = await boundedText(request, MAX_RENAME_BODY_BYTES);
  if (text === undefined) {
    return {
      status: 413,
      code: "body_too_large",
      message: `A rename takes at most ${MAX_RENAME_BODY_BYTES} bytes: send only the new title`,
    };
  }
  const input = parseTitleInput(text);
  if (!input.ok) return { status: 400, code: input.code, message: input.message };
  const result = await writes.rename(claims, id, input.title);
  switch (result.kind) {
    case "renamed":
      return { status: 200, body: { id: result.id, title: result.title } };
    case "not_found":
      return NOT_FOUND_DOCUMENT;
    case "refused":
      return { status: 400, code: "invalid_title", message: result.message };
  }
}

export async function deleteDocument(
  writes: DocumentWrites,
  claims: Claims,
  id: string,
): Promise<WriteOutcome> {
  return await writes.delete(claims, id) ? { status: 204 } : NOT_FOUND_DOCUMENT;
}

export async function discardDraft(
  writes: DocumentWrites,
  claims: Claims,
  sessionId: string,
): Promise<WriteOutcome> {
  const result = await writes.discardDraft(claims, sessionId);
  switch (result.kind) {
    case "discarded":
      return { status: 204 };
    case "not_found":
      return {
        status: 404,
        code: "not_found",
        message: "There is no draft with this id among yours",
      };
    case "finished":
      return {
        status: 409,
        code: "interview_finished",
        message: "This interview is finished, so it is no draft: delete its document instead",
      };
  }
}

/** The body as text, or undefined past `maxBytes` (read no further than that). */
async function boundedText(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await request.body?.cancel();
    return undefined;
  }
  if (request.body === null) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
