import assert from "node:assert/strict";
import { LIMITS } from "../wire/constants.ts";
import { characterCount, describeOversize, documentOversize } from "./document_size.ts";

Deno.test("characterCount counts code points: an emoji once, a lone surrogate once", () => {
  assert.equal(characterCount(""), 0);
  assert.equal(characterCount("abc"), 3);
  assert.equal(characterCount("保密"), 2);
  assert.equal(characterCount("a🙂b"), 3);
  assert.equal(characterCount("\ud83d"), 1);
  assert.equal(characterCount("\ude42\ud83d"), 2);
});

Deno.test("a document of exactly the maximum fits; one character more does not", () => {
  const max = LIMITS.maxDocumentChars;
  assert.equal(documentOversize({ title: "T", content: "x".repeat(max) }), undefined);
  assert.deepEqual(documentOversize({ title: "T", content: "x".repeat(max + 1) }), {
    part: "content",
    characters: max + 1,
    max,
  });
});

Deno.test("the maximum counts code points, as the database does, not UTF-16 units", () => {
  const emoji = "🙂".repeat(LIMITS.maxDocumentChars);
  assert.equal(emoji.length, 2 * LIMITS.maxDocumentChars);
  assert.equal(documentOversize({ title: "T", content: emoji }), undefined);
  assert.equal(documentOversize({ title: "T", content: `${emoji}!` })?.characters, 200_001);
});

Deno.test("a title over its maximum is named, and the sentence says by how much", () => {
  const title = "t".repeat(LIMITS.maxDocumentTitleChars + 1);
  const oversize = documentOversize({ title, content: "x" });
  assert.deepEqual(oversize, { part: "title", characters: 501, max: 500 });
  assert.equal(
    describeOversize(oversize!),
    "The document's title holds 501 characters; at most 500 fit",
  );
  assert.equal(
    describeOversize({ part: "content", characters: 250_000, max: 200_000 }),
    "The document holds 250,000 characters; at most 200,000 fit",
  );
});
