// The documents handler's writes with no server: a Request in, a Response out, against the real
// local database under RLS as the token's user. Rename, delete and discard, several drafts of one
// template, and the 404 another user's id answers.
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
import { createDocumentReads } from "./document_reads.ts";
import { createDocumentWrites } from "./document_writes.ts";
import { createDocumentsHandler } from "./handler.ts";
import { seededTemplate, storeInterview } from "../../../test_support/stored_interviews.ts";

const ORIGIN = "http://127.0.0.1:8084";

const NDA_ANSWERS = (partyB: string): Record<string, string> => ({
  party_a_name: "Acme Ltd",
  party_a_email: "legal@acme.example",
  party_b_name: partyB,
  party_b_email: "notices@other.example",
  effective_date: "April 15, 2026",
  purpose: "Evaluating a partnership.",
  confidentiality_years: "3",
  governing_law: "Delaware",
  include_non_solicit: "No",
  additional_terms: "skip",
});

Deno.test("documents handler: rename, delete, discard", async (t) => {
  const admin = adminSql();
  const pool = createDatabase(DB_URL, { max: 2 });
  const handler = createDocumentsHandler({
    reads: createDocumentReads(pool, { statementTimeoutMs: 5_000 }),
    writes: createDocumentWrites(pool, { statementTimeoutMs: 5_000 }),
    verifier: createTokenVerifier({ secret: JWT_SECRET, audience: "authenticated" }),
  });
  const call = (method: string, path: string, token?: string, body?: string, type?: string) =>
    handler(
      new Request(`${ORIGIN}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { "content-type": type ?? "application/json" } : {}),
        },
        ...(body !== undefined ? { body } : {}),
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
    const beta = await storeInterview(admin, owner.id, nda, NDA_ANSWERS("Beta GmbH"), {
      complete: true,
    });
    const gamma = await storeInterview(admin, owner.id, nda, NDA_ANSWERS("Gamma SA"), {
      complete: true,
    });
    const documentId = beta.documentId!;

    await t.step("two NDAs are told apart by their parties", async () => {
      const { documents } = await (await call("GET", "/documents", owner.token)).json();
      assert.deepEqual(
        documents.map((d: { title: string }) => d.title).sort(),
        ["NDA: Acme Ltd and Beta GmbH", "NDA: Acme Ltd and Gamma SA"],
      );
      const pdf = await call("GET", `/documents/${documentId}?format=pdf`, owner.token);
      assert.equal(
        pdf.headers.get("content-disposition"),
        `attachment; filename="nda-acme-ltd-and-beta-gmbh.pdf"; ` +
          `filename*=UTF-8''NDA%20-%20Acme%20Ltd%20and%20Beta%20GmbH.pdf`,
      );
      await pdf.body?.cancel();
    });

    await t.step("PATCH /documents/:id renames the owner's document", async () => {
      const response = await call(
        "PATCH",
        `/documents/${documentId.toUpperCase()}`,
        owner.token,
        JSON.stringify({ title: "  Beta: the signed one " }),
      );
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.deepEqual(await response.json(), { id: documentId, title: "Beta: the signed one" });
      const document = await (await call("GET", `/documents/${documentId}`, owner.token)).json();
      assert.equal(document.title, "Beta: the signed one");
      const md = await call("GET", `/documents/${documentId}?format=md`, owner.token);
      assert.match(
        md.headers.get("content-disposition")!,
        /UTF-8''Beta%20-%20the%20signed%20one\.md$/,
      );
      await md.body?.cancel();
    });

    await t.step("a rename a person should not send is 400 in their words", async () => {
      const cases: [string, string, string][] = [
        ["{", "invalid_body", 'Send the new title as JSON: {"title": "NDA with Beta GmbH"}'],
        [
          '{"name": "x"}',
          "invalid_body",
          'Send the new title as JSON: {"title": "NDA with Beta GmbH"}',
        ],
        [
          '{"title": "x", "userId": "y"}',
          "invalid_body",
          'Only the title can be changed, not "userId"',
        ],
        ['{"title": "  "}', "invalid_title", "The title cannot be empty"],
        ['{"title": 7}', "invalid_title", "The title must be text"],
        [
          JSON.stringify({ title: "x".repeat(501) }),
          "invalid_title",
          "The title holds at most 500 characters, not 501",
        ],
        [
          JSON.stringify({ title: "NDA\u202E" }),
          "invalid_title",
          "The title holds an invisible character that changes how text displays (U+202E, " +
          "position 4): remove it",
        ],
      ];
      for (const [body, code, error] of cases) {
        const response = await call("PATCH", `/documents/${documentId}`, owner.token, body);
        assert.equal(response.status, 400, body);
        assert.deepEqual(await response.json(), { error, code }, body);
      }
      const plain = await call("PATCH", `/documents/${documentId}`, owner.token, "x", "text/plain");
      assert.equal(plain.status, 415);
      assert.deepEqual(await plain.json(), {
        error: "Send the new title as application/json, not text/plain",
        code: "unsupported_media_type",
      });
      const huge = await call(
        "PATCH",
        `/documents/${documentId}`,
        owner.token,
        JSON.stringify({ title: "x".repeat(20_000) }),
      );
      assert.equal(huge.status, 413);
      assert.equal((await huge.json()).code, "body_too_large");
      const document = await (await call("GET", `/documents/${documentId}`, owner.token)).json();
      assert.equal(document.title, "Beta: the signed one", "no refused rename changed it");
    });

    await t.step("another user's document answers 404 to a rename or delete", async () => {
      const missing = crypto.randomUUID();
      const body = JSON.stringify({ title: "Mine now" });
      for (const method of ["PATCH", "DELETE"]) {
        const theirs = await call(method, `/documents/${documentId}`, otherUser.token, body);
        const none = await call(method, `/documents/${missing}`, owner.token, body);
        assert.equal(theirs.status, 404, method);
        assert.deepEqual(await theirs.json(), await none.json(), method);
      }
      const document = await (await call("GET", `/documents/${documentId}`, owner.token)).json();
      assert.equal(document.title, "Beta: the signed one", "the other user changed nothing");
    });

    await t.step("a malformed id is 400; a token is required", async () => {
      const bad = await call("DELETE", "/documents/not-a-uuid", owner.token);
      assert.equal(bad.status, 400);
      assert.deepEqual(await bad.json(), {
        error: 'Document id "not-a-uuid" is not a UUID',
        code: "invalid_id",
      });
      const draft = await call("DELETE", "/interviews/nope", owner.token);
      assert.equal(draft.status, 400);
      assert.equal((await draft.json()).error, 'Draft id "nope" is not a UUID');
      for (
        const [method, path] of [["PATCH", `/documents/${documentId}`], [
          "DELETE",
          `/documents/${documentId}`,
        ], ["DELETE", `/interviews/${gamma.sessionId}`]]
      ) {
        const response = await call(method!, path!, undefined, "{}");
        assert.equal(response.status, 401, `${method} ${path}`);
        assert.equal((await response.json()).code, "missing");
      }
    });

    await t.step("each route says which methods it answers", async () => {
      const listed = await call("GET", `/interviews/${gamma.sessionId}`, owner.token);
      assert.equal(listed.status, 405);
      assert.equal(listed.headers.get("allow"), "DELETE, OPTIONS");
      assert.deepEqual(await listed.json(), {
        error: "Method GET is not allowed: use DELETE",
        code: "method_not_allowed",
      });
      const put = await call("PUT", `/documents/${documentId}`, owner.token);
      assert.equal(put.headers.get("allow"), "GET, PATCH, DELETE, OPTIONS");
      assert.equal(
        (await put.json()).error,
        "Method PUT is not allowed: use GET or PATCH or DELETE",
      );
    });

    await t.step("DELETE /documents/:id deletes the document and its interview", async () => {
      const response = await call("DELETE", `/functions/v1/documents/${documentId}`, owner.token);
      assert.equal(response.status, 204);
      assert.equal(await response.text(), "");
      assert.equal((await call("GET", `/documents/${documentId}`, owner.token)).status, 404);
      const again = await call("DELETE", `/documents/${documentId}`, owner.token);
      assert.equal(again.status, 404);
      await again.body?.cancel();
      const [left] = await admin`
        select count(*)::int as n from chat_sessions where id = ${beta.sessionId}`;
      assert.equal(left!.n, 0, "the answers went with it");
      const { documents } = await (await call("GET", "/documents", owner.token)).json();
      assert.deepEqual(documents.map((d: { id: string }) => d.id), [gamma.documentId]);
    });

    await t.step(
      "several drafts of one template are listed, newest first, titled",
      async (drafts) => {
        const first = await storeInterview(admin, owner.id, nda, NDA_ANSWERS("Delta Inc"), {
          stopAfter: 3,
        });
        const second = await storeInterview(admin, owner.id, nda, NDA_ANSWERS("Epsilon AG"), {
          stopAfter: 1,
          newDraft: true,
        });
        const { templates } = await (await call("GET", "/interviews", owner.token)).json();
        const entry = templates.find((e: { templateId: string }) => e.templateId === nda.id);
        assert.deepEqual(
          entry.drafts.map((d: { sessionId: string; title: string; progress: unknown }) => [
            d.sessionId,
            d.title,
            d.progress,
          ]),
          [
            // One answer in: the rule still lacks party_b_name, so the template's name.
            [second.sessionId, "Mutual Non-Disclosure Agreement", { answered: 1, total: 10 }],
            [first.sessionId, "NDA: Acme Ltd and Delta Inc", { answered: 3, total: 10 }],
          ],
        );
        assert.deepEqual(entry.open, entry.drafts[0], "open is the draft connecting resumes");
        assert.equal(entry.finished.length, 1);
        const theirs = await (await call("GET", "/interviews", otherUser.token)).json();
        for (const other of theirs.templates) assert.deepEqual(other.drafts, []);

        await drafts.step("DELETE /interviews/:id discards the owner's draft", async () => {
          const refused = await call("DELETE", `/interviews/${first.sessionId}`, otherUser.token);
          const none = await call("DELETE", `/interviews/${crypto.randomUUID()}`, owner.token);
          assert.equal(refused.status, 404);
          assert.deepEqual(await refused.json(), await none.json());
          assert.deepEqual(
            await (await call("DELETE", `/interviews/${first.sessionId}`, otherUser.token)).json(),
            {
              error: "There is no draft with this id among yours",
              code: "not_found",
            },
          );
          const discarded = await call(
            "DELETE",
            `/documents/interviews/${first.sessionId}`,
            owner.token,
          );
          assert.equal(discarded.status, 204);
          await discarded.body?.cancel();
          const after = await (await call("GET", "/interviews", owner.token)).json();
          const left = after.templates.find((e: { templateId: string }) => e.templateId === nda.id);
          assert.deepEqual(left.drafts.map((d: { sessionId: string }) => d.sessionId), [
            second.sessionId,
          ]);
        });

        await drafts.step("a finished interview is no draft: 409", async () => {
          const response = await call("DELETE", `/interviews/${gamma.sessionId}`, owner.token);
          assert.equal(response.status, 409);
          assert.deepEqual(await response.json(), {
            error: "This interview is finished, so it is no draft: delete its document instead",
            code: "interview_finished",
          });
        });
      },
    );
  } finally {
    if (users.length) await admin`delete from auth.users where id = any(${users})`;
    await Promise.all([admin.end(), pool.end()]);
  }
});
