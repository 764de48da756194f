/**
 * The body of a rename (`PATCH /documents/:id`): `{ "title": "..." }`, checked here so that a
 * person reads what is wrong in their own words before the database is asked. The database
 * checks the same again (chat_internal.checked_title), so a direct call meets the same bar.
 */
import { LIMITS } from "../_shared/wire/constants.ts";
import { invisibleCharacterProblem } from "../_shared/wire/invisible_characters.ts";

/** The most characters a rename body may take: a title at its maximum, escaped, with room. */
export const MAX_RENAME_BODY_BYTES = 16_384;

export type TitleInput =
  | { ok: true; title: string }
  | { ok: false; code: "invalid_body" | "invalid_title"; message: string };

/** The new title of a rename body's text, trimmed, or why it is refused. */
export function parseTitleInput(text: string): TitleInput {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return invalidBody();
  }
  if (typeof body !== "object" || body === null || Array.isArray(body) || !("title" in body)) {
    return invalidBody();
  }
  const extra = Object.keys(body).filter((key) => key !== "title");
  if (extra.length > 0) {
    return {
      ok: false,
      code: "invalid_body",
      message: `Only the title can be changed, not ${
        extra.map((k) => `"${k.slice(0, 40)}"`)
          .join(", ")
      }`,
    };
  }
  const raw = (body as { title: unknown }).title;
  if (typeof raw !== "string") {
    return { ok: false, code: "invalid_title", message: "The title must be text" };
  }
  const title = raw.trim();
  if (title === "") {
    return { ok: false, code: "invalid_title", message: "The title cannot be empty" };
  }
  if (/[\r\n\t]/.test(title)) {
    return {
      ok: false,
      code: "invalid_title",
      message: "The title is one line: remove its line breaks and tabs",
    };
  }
  const length = [...title].length;
  if (length > LIMITS.maxDocumentTitleChars) {
    return {
      ok: false,
      code: "invalid_title",
      message: `The title holds at most ${LIMITS.maxDocumentTitleChars} characters, not ${length}`,
    };
  }
  const invisible = invisibleCharacterProblem(title, "The title");
  if (invisible !== undefined) return { ok: false, code: "invalid_title", message: invisible };
  return { ok: true, title };
}

function invalidBody(): TitleInput {
  return {
    ok: false,
    code: "invalid_body",
    message: 'Send the new title as JSON: {"title": "NDA with Beta GmbH"}',
  };
}
