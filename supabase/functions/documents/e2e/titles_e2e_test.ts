// Titles, renames, deletes and drafts end to end: the documents function as `npm start` serves it
// (index.ts as its own Deno process, over real HTTP), reading and writing under its own
// least-privilege login (documents_login, which can only become `authenticated`), so the
// database's functions and RLS, not this code, stop one user from touching another's.
import assert from "node:assert/strict";
import {
  adminSql,
  createUser,
  functionDatabaseEnv,
  JWT_SECRET,
  LOCAL_SUPABASE_URL,
  signToken,
  startFunction,
} from "../../../../test_support/local_stack.ts";
import { seededTemplate, storeInterview } from "../../../../test_support/stored_interviews.ts";

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

Deno.test("documents e2e: tell two NDAs apart, rename, delete, discard a draft", async (t) => {
  const admin = adminSql();
  const server = await startFunction("documents", {
    SUPABASE_URL: LOCAL_SUPABASE_URL,
    ...functionDatabaseEnv("documents"),
    JWT_SECRET,
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
  }, "/documents");
  const owner = await createUser(admin, "titles-owner");
  const other = await createUser(admin, "titles-other");
  const base = `${server.baseUrl}/functions/v1/documents`;
  const call = async (method: string, path: string, user: string, body?: unknown) =>
    await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await signToken(user)}`,
        origin: "https://app.example.test",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  try {
    const nda = await seededTemplate(admin, "mutual-nda");
    const beta = await storeInterview(admin, owner, nda, NDA_ANSWERS("Beta GmbH"), {
      complete: true,
    });
    const gamma = await storeInterview(admin, owner, nda, NDA_ANSWERS("Gamma SA"), {
      complete: true,
    });
    const draftOne = await storeInterview(admin, owner, nda, NDA_ANSWERS("Delta Inc"), {
      stopAfter: 3,
    });
    const draftTwo = await storeInterview(admin, owner, nda, NDA_ANSWERS("Epsilon AG"), {
      stopAfter: 3,
      newDraft: true,
    });

    await t.step("a browser may send PATCH and DELETE", async () => {
      const preflight = await fetch(`${base}/${beta.documentId}`, {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example.test",
          "access-control-request-method": "PATCH",
          "access-control-request-headers": "authorization, content-type",
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(
        preflight.headers.get("access-control-allow-methods"),
        "GET, PATCH, DELETE, OPTIONS",
      );
      assert.match(preflight.headers.get("access-control-allow-headers")!, /content-type/);
      await preflight.body?.cancel();
    });

    await t.step("the list and the downloads name the parties", async () => {
      const { documents } = await (await call("GET", "", owner)).json();
      assert.deepEqual(documents.map((d: { title: string }) => d.title), [
        "NDA: Acme Ltd and Gamma SA",
        "NDA: Acme Ltd and Beta GmbH",
      ]);
      const file = await call("GET", `/${beta.documentId}?format=docx`, owner);
      assert.equal(file.status, 200);
      assert.match(
        file.headers.get("content-disposition")!,
        /filename\*=UTF-8''NDA%20-%20Acme%20Ltd%20and%20Beta%20GmbH\.docx$/,
      );
      await file.body?.cancel();
    });

    await t.step("both drafts are listed with their titles, the newest first", async () => {
      const { templates } = await (await call("GET", "/interviews", owner)).json();
      const entry = templates.find((e: { templateId: string }) => e.templateId === nda.id);
      assert.deepEqual(
        entry.drafts.map((d: { sessionId: string; title: string }) => [
          d.sessionId,
          d.title,
        ]),
        [
          [draftTwo.sessionId, "NDA: Acme Ltd and Epsilon AG"],
          [draftOne.sessionId, "NDA: Acme Ltd and Delta Inc"],
        ],
      );
      assert.equal(entry.open.sessionId, draftTwo.sessionId);
    });

    await t.step("another user can neither rename, delete nor discard: 404", async () => {
      const rename = await call("PATCH", `/${beta.documentId}`, other, { title: "Mine" });
      assert.equal(rename.status, 404);
      assert.equal((await rename.json()).error, "There is no document with this id among yours");
      const remove = await call("DELETE", `/${beta.documentId}`, other);
      assert.equal(remove.status, 404);
      await remove.body?.cancel();
      const discard = await call("DELETE", `/interviews/${draftOne.sessionId}`, other);
      assert.equal(discard.status, 404);
      assert.equal((await discard.json()).error, "There is no draft with this id among yours");
      const [kept] = await admin`
        select (select title from generated_documents where id = ${beta.documentId!}) as title,
          (select count(*)::int from chat_sessions where id = ${draftOne.sessionId}) as drafts`;
      assert.deepEqual({ ...kept }, { title: "NDA: Acme Ltd and Beta GmbH", drafts: 1 });
    });

    await t.step("the owner renames, deletes and discards", async () => {
      const renamed = await call("PATCH", `/${beta.documentId}`, owner, {
        title: " Beta, signed ",
      });
      assert.equal(renamed.status, 200);
      assert.deepEqual(await renamed.json(), { id: beta.documentId, title: "Beta, signed" });
      const refused = await call("PATCH", `/${beta.documentId}`, owner, { title: "a\nb" });
      assert.equal(refused.status, 400);
      assert.deepEqual(await refused.json(), {
        error: "The title is one line: remove its line breaks and tabs",
        code: "invalid_title",
      });

      const deleted = await call("DELETE", `/${gamma.documentId}`, owner);
      assert.equal(deleted.status, 204);
      await deleted.body?.cancel();
      const discarded = await call("DELETE", `/interviews/${draftTwo.sessionId}`, owner);
      assert.equal(discarded.status, 204);
      await discarded.body?.cancel();

      const { documents } = await (await call("GET", "", owner)).json();
      assert.deepEqual(documents.map((d: { title: string }) => d.title), ["Beta, signed"]);
      const { templates } = await (await call("GET", "/interviews", owner)).json();
      const entry = templates.find((e: { templateId: string }) => e.templateId === nda.id);
      assert.deepEqual(entry.drafts.map((d: { sessionId: string }) => d.sessionId), [
        draftOne.sessionId,
      ]);
      assert.equal(entry.open.sessionId, draftOne.sessionId, "the other draft is resumed now");
    });
  } finally {
    assert.equal((await server.stop()).code, 0, server.logs.join("\n"));
    await admin`delete from auth.users where id in (${owner}, ${other})`;
    await admin.end();
  }
});
