// The documents handler with no server: a Request in, a Response out, reading the real local
// database (scripts/test.sh brings it up) under RLS as the token's user. Documents are stored
// through the chat's own write path by the interview engine (test_support/stored_interviews.ts).
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
import { readDocx, readPdf, squash } from "../../../test_support/file_readers.ts";
import { answerFor } from "../../../test_support/seed_interview.ts";
import { createDocumentReads } from "./document_reads.ts";
import { createDocumentWrites } from "./document_writes.ts";
import { contentDisposition } from "./file_name.ts";
import { createDocumentsHandler } from "./handler.ts";
import {
  HOSTILE_NDA_ANSWERS,
  seededTemplate,
  storeInterview,
} from "../../../test_support/stored_interviews.ts";

const ORIGIN = "http://127.0.0.1:8084";
const verifier = createTokenVerifier({ secret: JWT_SECRET, audience: "authenticated" });

Deno.test("documents handler", async (t) => {
  const admin = adminSql();
  const pool = createDatabase(DB_URL, { max: 2 });
  const handler = createDocumentsHandler({
    reads: createDocumentReads(pool, { statementTimeoutMs: 5_000 }),
    writes: createDocumentWrites(pool, { statementTimeoutMs: 5_000 }),
    verifier,
  });
  const get = (path: string, token?: string, init: RequestInit = {}) =>
    handler(
      new Request(`${ORIGIN}${path}`, {
        ...init,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
      }),
    );
  const users: string[] = [];
  const newUser = async (label: string) => {
    const id = await createUser(admin, label);
    users.push(id);
    return { id, token: await signToken(id) };
  };

  try {
    const owner = await newUser("owner");
    const otherUser = await newUser("other_user");
    const nda = await seededTemplate(admin, "mutual-nda");
    const offer = await seededTemplate(admin, "employment-offer-letter");
    const finished = await storeInterview(admin, owner.id, nda, HOSTILE_NDA_ANSWERS, {
      complete: true,
    });
    const documentId = finished.documentId!;
    // The seeded rule "NDA: {{party_a_name}} and {{party_b_name}}", filled with hostile names.
    const ndaTitle =
      `NDA: ${HOSTILE_NDA_ANSWERS.party_a_name} and ${HOSTILE_NDA_ANSWERS.party_b_name}`;
    const offerAnswers = Object.fromEntries(
      offer.questions.map((
        q,
        i,
      ) => [q.id, answerFor(q, { gates: new Map(), skipOptional: false }, i)[0]]),
    );
    const open = await storeInterview(admin, owner.id, offer, offerAnswers, { stopAfter: 3 });

    await t.step("OPTIONS answers a browser's preflight without a token", async () => {
      const response = await get("/documents", undefined, {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example.test",
          "access-control-request-method": "GET",
          "access-control-request-headers": "authorization",
        },
      });
      assert.equal(response.status, 204);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.equal(
        response.headers.get("access-control-allow-methods"),
        "GET, PATCH, DELETE, OPTIONS",
      );
      assert.match(response.headers.get("access-control-allow-headers")!, /\bauthorization\b/);
      assert.equal(await response.text(), "");
    });

    await t.step("an unknown route is 404, another method 405, both as JSON", async () => {
      for (const path of ["/", "/documents/a/b", "/nope", "/functions/v1/other"]) {
        const response = await get(path, owner.token);
        assert.equal(response.status, 404, path);
        assert.equal((await response.json()).code, "not_found");
      }
      for (const method of ["POST", "PUT", "DELETE", "PATCH", "HEAD"]) {
        const response = await get("/documents", owner.token, { method });
        assert.equal(response.status, 405, method);
        assert.equal(response.headers.get("allow"), "GET, OPTIONS");
        if (method !== "HEAD") {
          assert.deepEqual(await response.json(), {
            error: `Method ${method} is not allowed: use GET`,
            code: "method_not_allowed",
          });
        }
      }
    });

    await t.step("a missing or bad token is 401 on every route", async () => {
      const expired = await signToken(owner.id, { expiresIn: -60 });
      const foreign = await signToken(owner.id, {
        secret: "another-secret-of-at-least-32-characters!",
      });
      const service = await signToken(owner.id, { role: "service_role" });
      const cases: [Record<string, string>, string][] = [
        [{}, "missing"],
        [{ authorization: "" }, "missing"],
        [{ authorization: `Basic ${btoa("a:b")}` }, "malformed"],
        [{ authorization: "Bearer" }, "malformed"],
        [{ authorization: "Bearer not.a.jwt" }, "malformed"],
        [{ authorization: `Bearer ${expired}` }, "expired"],
        [{ authorization: `Bearer ${foreign}` }, "bad_signature"],
        [{ authorization: `Bearer ${service}` }, "wrong_role"],
      ];
      for (const path of ["/documents", `/documents/${documentId}`, "/interviews"]) {
        for (const [headers, code] of cases) {
          const response = await get(path, undefined, { headers });
          assert.equal(response.status, 401, `${path} ${code}`);
          assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="documents"');
          assert.equal(response.headers.get("access-control-allow-origin"), "*");
          const body = await response.json();
          assert.equal(body.code, code, `${path} ${JSON.stringify(headers)}`);
          assert.equal(typeof body.error, "string");
        }
      }
      const body = await (await get("/documents", expired)).json();
      assert.equal(body.error, "Your access token has expired: refresh it and try again");
    });

    await t.step("GET /documents/:id is the owner's document as JSON", async () => {
      const response = await get(`/documents/${documentId}`, owner.token);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
      assert.equal(response.headers.get("cache-control"), "private, no-store");
      const body = await response.json();
      const [row] = await admin`
        select content, to_char(created_at at time zone 'UTC',
          'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
        from generated_documents where id = ${documentId}`;
      assert.deepEqual(body, {
        id: documentId,
        title: ndaTitle,
        format: "markdown",
        content: row!.content,
        templateId: nda.id,
        templateName: "Mutual Non-Disclosure Agreement",
        sessionId: finished.sessionId,
        createdAt: row!.created_at,
        formats: ["md", "html", "docx", "pdf"],
      });
      const upper = await get(`/functions/v1/documents/${documentId.toUpperCase()}`, owner.token);
      assert.equal((await upper.json()).id, documentId, "hosted path, upper-case id");
    });

    await t.step("another user's document answers 404 exactly as a missing one", async () => {
      const theirs = await get(`/documents/${documentId}`, otherUser.token);
      const missing = await get(`/documents/${crypto.randomUUID()}`, otherUser.token);
      assert.equal(theirs.status, 404);
      assert.equal(missing.status, 404);
      assert.deepEqual([...theirs.headers], [...missing.headers]);
      const body = await theirs.json();
      assert.deepEqual(body, await missing.json());
      assert.deepEqual(body, {
        error: "There is no document with this id among yours",
        code: "not_found",
      });
      for (const format of ["md", "html", "docx", "pdf"]) {
        const download = await get(`/documents/${documentId}?format=${format}`, otherUser.token);
        assert.equal(download.status, 404, format);
        assert.deepEqual(await download.json(), body);
      }
    });

    await t.step("a malformed id is 400; an unknown format is 400 with the list", async () => {
      for (const id of ["abc", "1", `${documentId}x`, "%27%20or%201%3D1--", "%E0%A4%A"]) {
        const response = await get(`/documents/${id}`, owner.token);
        assert.equal(response.status, 400, id);
        const body = await response.json();
        assert.equal(body.code, "invalid_id");
        assert.match(body.error, /^Document id ".*" is not a UUID$/);
      }
      for (const format of ["xls", "", "PDF", "markdown"]) {
        const response = await get(`/documents/${documentId}?format=${format}`, owner.token);
        assert.equal(response.status, 400, format);
        assert.deepEqual(await response.json(), {
          error: `Format "${format}" is not offered: use one of md, html, docx, pdf`,
          code: "unknown_format",
          formats: ["md", "html", "docx", "pdf"],
        });
      }
    });

    await t.step("downloads are attachments named from the title, in every format", async () => {
      const types = {
        md: "text/markdown; charset=utf-8",
        html: "text/html; charset=utf-8",
        docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        pdf: "application/pdf",
      };
      const files: Record<string, Uint8Array> = {};
      for (const [format, type] of Object.entries(types)) {
        const response = await get(`/documents/${documentId}?format=${format}`, owner.token);
        assert.equal(response.status, 200, format);
        assert.equal(response.headers.get("content-type"), type);
        assert.equal(
          response.headers.get("content-disposition"),
          contentDisposition(ndaTitle, format),
        );
        assert.match(
          response.headers.get("content-disposition")!,
          new RegExp(
            `^attachment; filename="nda-acme-script-alert-pwned-script-ltd-and-beta-img-src-x[a-z0-9-]*\\.${format}"; filename\\*=UTF-8''NDA%20-%20Acme%20script%20alert`,
          ),
        );
        assert.equal(
          response.headers.get("access-control-expose-headers"),
          "content-disposition",
        );
        files[format] = new Uint8Array(await response.arrayBuffer());
      }
      const docx = await readDocx(files.docx!);
      const pdf = squash((await readPdf(files.pdf!)).text);
      for (const [id, answer] of Object.entries(HOSTILE_NDA_ANSWERS)) {
        assert.ok(squash(docx.text).includes(squash(answer)), `DOCX: ${id}`);
        const drawn = answer.replace(/[你好世界مرحبا]|🙂/gu, "?");
        assert.ok(pdf.includes(squash(drawn)), `PDF: ${id}`);
      }
    });

    await t.step(
      "GET /interviews: per template, the open interview and the finished ones",
      async () => {
        for (
          const path of [
            "/interviews",
            "/documents/interviews",
            "/functions/v1/documents/interviews",
          ]
        ) {
          const response = await get(path, owner.token);
          assert.equal(response.status, 200, path);
          const { templates, nextCursor } = await response.json();
          assert.equal(nextCursor, null, "one page holds them all");
          const byId = new Map(
            templates.map((entry: { templateId: string }) => [entry.templateId, entry]),
          );
          const [row] = await admin`
          select to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created,
            to_char(s.completed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as completed
          from generated_documents d join chat_sessions s on s.id = d.session_id
          where d.id = ${documentId}`;
          assert.deepEqual(byId.get(nda.id), {
            templateId: nda.id,
            slug: "mutual-nda",
            name: nda.name,
            description: nda.description,
            active: true,
            open: null,
            drafts: [],
            finished: [{
              documentId,
              sessionId: finished.sessionId,
              title: ndaTitle,
              createdAt: row!.created,
              completedAt: row!.completed,
            }],
          });
          const offerEntry = byId.get(offer.id) as {
            open: { sessionId: string; title: string; startedAt: string; progress: unknown };
            drafts: unknown[];
            finished: unknown[];
          };
          assert.equal(offerEntry.open.sessionId, open.sessionId);
          assert.deepEqual(offerEntry.drafts, [offerEntry.open], "the one draft is the open one");
          // Three answers in: company_name and candidate_name, which the offer's rule names.
          // The answers as stored: "  Party   candidate_name " becomes one clean line.
          assert.equal(
            offerEntry.open.title,
            "Offer letter: Party candidate_name at Party company_name",
          );
          // As the chat counts it: of the 14 questions, weekly_hours and equity_details apply
          // only once their gating answers say so, and none of those is answered yet.
          assert.equal(offer.questions.length, 14);
          assert.deepEqual(offerEntry.open.progress, { answered: 3, total: 12 });
          assert.match(offerEntry.open.startedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
          assert.deepEqual(offerEntry.finished, []);
        }
        const { templates } = await (await get("/interviews", otherUser.token)).json();
        assert.ok(templates.length >= 3, "every active template is listed");
        for (const entry of templates) {
          assert.equal(entry.open, null, "nothing of the owner's shows");
          assert.deepEqual(entry.finished, []);
        }
      },
    );

    await t.step("GET /documents pages the caller's documents, newest first", async () => {
      const reader = await newUser("reader");
      const [only] = (await (await get("/documents", owner.token)).json()).documents;
      assert.equal(only.id, documentId, "the owner's one document");
      assert.equal(only.content, undefined, "summaries carry no content");
      assert.deepEqual(await (await get("/documents", otherUser.token)).json(), {
        documents: [],
        nextCursor: null,
      });
      // Seven documents, two of them created in the same microsecond: ids break the tie.
      const times = ["01", "02", "03", "03", "04", "05", "06"].map((s) =>
        `2026-11-26T10:00:${s}.123456Z`
      );
      const ids: string[] = [];
      for (const [i, at] of times.entries()) {
        const [row] = await admin`
          insert into generated_documents (user_id, template_id, title, content, created_at)
          values (${reader.id}, ${nda.id}, ${`Document ${i}`}, ${`# Document ${i}`}, ${at}::text::timestamptz)
          returning id`;
        ids.push(row!.id);
      }
      const expected = times.map((at, i) => ({ at, id: ids[i]! }))
        .sort((a, b) => a.at === b.at ? (a.id < b.id ? 1 : -1) : (a.at < b.at ? 1 : -1))
        .map((entry) => entry.id);
      const seen: string[] = [];
      let cursor: string | null = "";
      let pages = 0;
      while (cursor !== null) {
        const response = await get(
          `/documents?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
          reader.token,
        );
        assert.equal(response.status, 200);
        const page: { documents: { id: string; createdAt: string }[]; nextCursor: string | null } =
          await response.json();
        assert.ok(page.documents.length <= 2);
        seen.push(...page.documents.map((d) => d.id));
        cursor = page.nextCursor;
        pages++;
      }
      // The two of the same microsecond fall on either side of a page's end.
      assert.equal(pages, 4);
      assert.deepEqual(seen, expected, "newest first, each once");
      const all = await (await get("/documents?limit=100", reader.token)).json();
      assert.deepEqual(all.documents.map((d: { id: string }) => d.id), expected);
      assert.equal(all.nextCursor, null);
      assert.equal(all.documents[0].createdAt, "2026-11-26T10:00:06.123456Z");
      assert.equal((await (await get("/documents", reader.token)).json()).documents.length, 7);
    });

    await t.step("GET /interviews pages the finished interviews, newest first", async () => {
      const reader = await newUser("interviews-reader");
      // Five finished interviews over two templates: pages of two take three requests.
      const times = ["01", "02", "03", "03", "04"].map((s) => `2026-11-27T10:00:${s}.123456Z`);
      const ids: string[] = [];
      for (const [i, at] of times.entries()) {
        const [row] = await admin`
          insert into generated_documents (user_id, template_id, title, content, created_at)
          values (${reader.id}, ${i % 2 ? nda.id : offer.id}, ${`Finished ${i}`}, 'Text',
            ${at}::text::timestamptz)
          returning id`;
        ids.push(row!.id);
      }
      const expected = times.map((at, i) => ({ at, id: ids[i]! }))
        .sort((a, b) => a.at === b.at ? (a.id < b.id ? 1 : -1) : (a.at < b.at ? 1 : -1))
        .map((entry) => entry.id);
      type Entry = { templateId: string; active: boolean; finished: { documentId: string }[] };
      const seen: string[] = [];
      let cursor: string | null = "";
      let pages = 0;
      while (cursor !== null) {
        const response = await get(
          `/interviews?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
          reader.token,
        );
        assert.equal(response.status, 200);
        const page: { templates: Entry[]; nextCursor: string | null } = await response.json();
        const finished = page.templates.flatMap((entry) => entry.finished);
        assert.ok(finished.length <= 2, `at most 2 a page, not ${finished.length}`);
        const listed = new Set(page.templates.map((entry) => entry.templateId));
        assert.ok(listed.has(nda.id) && listed.has(offer.id), "every active template, each page");
        // Within a template, newest first: the page's order restricted to it.
        const order = page.templates.flatMap((entry) => entry.finished.map((f) => f.documentId));
        seen.push(...expected.filter((id) => order.includes(id)));
        cursor = page.nextCursor;
        pages++;
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, expected, "each finished interview once, pages newest first");
      const all = await (await get("/interviews?limit=100", reader.token)).json();
      assert.equal(all.nextCursor, null);
      assert.equal(
        all.templates.flatMap((entry: Entry) => entry.finished).length,
        5,
      );
      const first = await (await get("/interviews", reader.token)).json();
      assert.equal(first.templates.flatMap((entry: Entry) => entry.finished).length, 5);
    });

    await t.step("bad paging parameters are 400, on /documents and /interviews", async () => {
      for (const route of ["/documents", "/interviews"]) {
        for (const query of ["limit=0", "limit=101", "limit=abc", "limit=2.5", "limit="]) {
          const response = await get(`${route}?${query}`, owner.token);
          assert.equal(response.status, 400, `${route}?${query}`);
          assert.equal((await response.json()).code, "invalid_limit");
        }
        for (const query of ["cursor=abc", `cursor=${btoa("[1,2]")}`]) {
          const response = await get(`${route}?${query}`, owner.token);
          assert.equal(response.status, 400, `${route}?${query}`);
          assert.equal((await response.json()).code, "invalid_cursor");
        }
        const numbered = await get(`${route}?page=2`, owner.token);
        assert.equal(numbered.status, 400);
        assert.deepEqual(await numbered.json(), {
          error: 'Pages are not numbered: pass the "nextCursor" of a page as "cursor"',
          code: "invalid_parameter",
        });
      }
    });
  } finally {
    if (users.length) await admin`delete from auth.users where id = any(${users})`;
    await Promise.all([admin.end(), pool.end()]);
  }
});

Deno.test("documents handler: an unreachable database is 503", async () => {
  const pool = createDatabase("postgresql://postgres:postgres@127.0.0.1:1/postgres", { max: 1 });
  try {
    const handler = createDocumentsHandler({
      reads: createDocumentReads(pool, { statementTimeoutMs: 1_000 }),
      writes: createDocumentWrites(pool, { statementTimeoutMs: 1_000 }),
      verifier,
    });
    const token = await signToken(crypto.randomUUID());
    const response = await handler(
      new Request(`${ORIGIN}/documents`, { headers: { authorization: `Bearer ${token}` } }),
    );
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), {
      error: "The database cannot be reached now; try again soon",
      code: "database_unavailable",
    });
  } finally {
    await pool.end();
  }
});
