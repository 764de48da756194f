// Property: no query value, path segment or cursor a client can send gets a 5xx from the documents
// function. Seeded random requests against the real handler and the real local database (under
// RLS, as a signed-in user with documents), replayable with FUZZ_SEED.
import assert from "node:assert/strict";
import { createDatabase } from "../_shared/platform/database.ts";
import { createTokenVerifier } from "../_shared/platform/token_verifier.ts";
import {
  adminSql,
  createUser,
  DB_URL,
  JWT_SECRET,
  signToken,
} from "../../../test_support/local_stack.ts";
import { createPrng, type Prng } from "../../../test_support/prng.ts";
import { createDocumentReads } from "./document_reads.ts";
import { createDocumentWrites } from "./document_writes.ts";
import { createDocumentsHandler } from "./handler.ts";
import { encodeCursor } from "./page_cursor.ts";
import {
  HOSTILE_NDA_ANSWERS,
  seededTemplate,
  storeInterview,
} from "../../../test_support/stored_interviews.ts";

const seed = Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 2 ** 31);
const REQUESTS = 300;

const JUNK = [
  "",
  " ",
  "0",
  "-1",
  "1.5",
  "1e3",
  "101",
  "NaN",
  "Infinity",
  "0x10",
  "99999999999999999999999",
  "null",
  "[]",
  "{}",
  "%00",
  "\u0000",
  "\ud800",
  "🙂",
  "' or 1=1 --",
  "$1",
  "../../etc/passwd",
  "a".repeat(5_000),
];

/** A cursor-shaped value: base64url of a tuple whose parts are each valid or broken. */
function cursorLike(prng: Prng): string {
  const dates = [
    "2026-11-26T10:00:00.123456Z",
    "2026-13-45T25:61:61.000000Z",
    "0000-01-01T00:00:00.000000Z",
    "9999-12-31T23:59:59.999999Z",
    "2026-02-29T00:00:00.000000Z",
    "2026-11-26T10:00:00Z",
    "",
  ];
  const ids = [crypto.randomUUID(), "not-a-uuid", "00000000-0000-0000-0000-000000000000", ""];
  const parts = [prng.pick(dates), prng.pick(ids)];
  if (prng.chance(0.2)) parts.push(prng.pick(ids));
  const text = prng.chance(0.8)
    ? encodeCursor({ createdAt: parts[0]!, id: parts[1]! })
    : btoa(JSON.stringify(prng.chance(0.5) ? parts : { createdAt: parts[0] }));
  return prng.chance(0.1) ? text.slice(0, prng.int(text.length)) : text;
}

function value(prng: Prng): string {
  if (prng.chance(0.4)) return cursorLike(prng);
  if (prng.chance(0.1)) return String.fromCharCode(...prng.bytes(prng.between(1, 40)));
  return prng.pick(JUNK);
}

/** Percent-encodes a path segment; a lone surrogate becomes bytes no UTF-8 decoder accepts. */
function segment(text: string): string {
  return text.replace(/[\ud800-\udfff]/g, "\u0000").split("\u0000")
    .map((part) => encodeURIComponent(part)).join("%ED%A0%80");
}

function requestPath(prng: Prng, documentId: string): string {
  const params = new URLSearchParams();
  const id = prng.pick([documentId, documentId.toUpperCase(), crypto.randomUUID(), value(prng)]);
  const route = prng.pick(["list", "list", "one", "interviews", "junk"]);
  const base = prng.chance(0.5) ? "/functions/v1" : "";
  let path: string;
  if (route === "list" || route === "interviews") {
    path = `${base}/${
      route === "list" ? "documents" : prng.pick(["interviews", "documents/interviews"])
    }`;
    if (prng.chance(0.7)) {
      params.append("cursor", prng.chance(0.7) ? cursorLike(prng) : value(prng));
    }
    if (prng.chance(0.5)) {
      params.append("limit", prng.chance(0.5) ? String(prng.between(-5, 120)) : value(prng));
    }
  } else if (route === "one") {
    path = `${base}/documents/${segment(id)}`;
    if (prng.chance(0.7)) {
      params.append(
        "format",
        prng.chance(0.5) ? prng.pick(["md", "html", "docx", "pdf", "PDF"]) : value(prng),
      );
    }
  } else {
    path = `${base}/${segment(value(prng))}`;
  }
  for (let i = prng.int(3); i > 0; i--) {
    params.append(prng.pick(["limit", "cursor", "format", "page", "x"]), value(prng));
  }
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

Deno.test(`documents never answers 5xx to a malformed query (FUZZ_SEED=${seed})`, async () => {
  const admin = adminSql();
  const pool = createDatabase(DB_URL, { max: 2 });
  const userId = await createUser(admin, "owner");
  try {
    const handler = createDocumentsHandler({
      reads: createDocumentReads(pool, { statementTimeoutMs: 5_000 }),
      writes: createDocumentWrites(pool, { statementTimeoutMs: 5_000 }),
      verifier: createTokenVerifier({ secret: JWT_SECRET, audience: "authenticated" }),
    });
    const nda = await seededTemplate(admin, "mutual-nda");
    const { documentId } = await storeInterview(admin, userId, nda, HOSTILE_NDA_ANSWERS, {
      complete: true,
    });
    const token = await signToken(userId);
    const prng = createPrng(seed);
    const seen = new Map<number, number>();
    // GET /interviews takes limit and cursor as /documents does: both sides are reached there too.
    const interviews = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const path = requestPath(prng, documentId!);
      const response = await handler(
        new Request(`http://127.0.0.1:8084${path}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      );
      seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
      if (/^(\/functions\/v1)?(\/documents)?\/interviews(\?|$)/.test(path)) {
        interviews.set(response.status, (interviews.get(response.status) ?? 0) + 1);
      }
      assert.ok(response.status < 500, `${response.status} for GET ${path.slice(0, 300)}`);
      if (response.status >= 400) {
        const body = await response.json();
        assert.equal(typeof body.code, "string", `an error code for ${path}`);
        assert.equal(typeof body.error, "string", `a sentence for ${path}`);
      } else {
        await response.body?.cancel();
      }
    }
    // the property is only worth something if both sides were reached
    assert.ok((seen.get(200) ?? 0) > 0, `some requests succeed: ${JSON.stringify([...seen])}`);
    assert.ok((seen.get(400) ?? 0) > 0, `some are refused with 400: ${JSON.stringify([...seen])}`);
    const onInterviews = JSON.stringify([...interviews]);
    assert.ok((interviews.get(200) ?? 0) > 0, `some of /interviews succeed: ${onInterviews}`);
    assert.ok((interviews.get(400) ?? 0) > 0, `some of /interviews are 400: ${onInterviews}`);
  } finally {
    await admin`delete from auth.users where id = ${userId}`; // sessions and documents cascade
    await admin.end();
    await pool.end();
  }
});
