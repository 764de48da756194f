import assert from "node:assert/strict";
import { contentDisposition, titleSlug } from "./file_name.ts";

Deno.test("titleSlug", () => {
  assert.equal(titleSlug("Mutual Non-Disclosure Agreement"), "mutual-non-disclosure-agreement");
  assert.equal(titleSlug("Offer — Müller & Søn, Inc."), "offer-muller-s-n-inc");
  assert.equal(titleSlug("中文合同"), "document");
  assert.equal(titleSlug("../../etc/passwd"), "etc-passwd");
  assert.equal(titleSlug("x".repeat(200)).length, 80);
});

Deno.test("contentDisposition", async (t) => {
  await t.step("an ASCII name and the UTF-8 title", () => {
    assert.equal(
      contentDisposition("Offer — Müller", "pdf"),
      `attachment; filename="offer-muller.pdf"; filename*=UTF-8''Offer%20%E2%80%94%20M%C3%BCller.pdf`,
    );
  });

  await t.step("a title made by a title rule: its colon becomes a dash", () => {
    assert.equal(
      contentDisposition("NDA: Acme Ltd and Beta GmbH", "pdf"),
      `attachment; filename="nda-acme-ltd-and-beta-gmbh.pdf"; filename*=UTF-8''NDA%20-%20Acme%20Ltd%20and%20Beta%20GmbH.pdf`,
    );
  });

  await t.step("no character a file system refuses survives in the UTF-8 name", () => {
    assert.equal(
      contentDisposition("Q3: <draft> | final? *", "md"),
      `attachment; filename="q3-draft-final.md"; filename*=UTF-8''Q3%20-%20draft%20final.md`,
    );
  });

  await t.step("no quote, slash, control character or header break survives", () => {
    const header = contentDisposition('a"b\\c/d\r\nSet-Cookie: x=1', "docx");
    assert.equal(
      header,
      `attachment; filename="a-b-c-d-set-cookie-x-1.docx"; filename*=UTF-8''a%20b%20c%20d%20Set-Cookie%20-%20x%3D1.docx`,
    );
    assert.doesNotThrow(() => new Headers({ "content-disposition": header }));
  });

  await t.step("no bidi, zero-width or control character survives in either name", () => {
    const header = contentDisposition("NDA \u202Ecod.exe\u202C Ac\u200Bme\x01\u2066 Corp", "pdf");
    assert.equal(
      header,
      `attachment; filename="nda-cod-exe-acme-corp.pdf"; filename*=UTF-8''NDA%20cod.exe%20Acme%20Corp.pdf`,
    );
    assert.equal(
      contentDisposition("پیمان\u200Cنامه", "md"),
      `attachment; filename="document.md"; filename*=UTF-8''${
        encodeURIComponent("پیمان\u200Cنامه.md")
      }`,
      "a joiner between letters is text, and stays",
    );
  });

  await t.step("a title with no letters falls back to document", () => {
    assert.match(contentDisposition("???", "md"), /^attachment; filename="document\.md"; /);
  });
});
