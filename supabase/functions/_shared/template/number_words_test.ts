import assert from "node:assert/strict";
import { numberFromWords, numberInWords, readNumberWords } from "./number_words.ts";

Deno.test("number words", async (t) => {
  await t.step("every whole number to 999 reads back what it writes", () => {
    for (let n = 0; n <= 999; n++) {
      assert.equal(numberFromWords(numberInWords(n)), n, numberInWords(n));
    }
    assert.equal(numberInWords(21), "twenty-one");
    assert.equal(numberInWords(120), "one hundred twenty");
  });
  await t.step("spacing, hyphens and 'and'", () => {
    assert.equal(numberFromWords("ninety nine"), 99);
    assert.equal(numberFromWords("Ninety-Nine"), 99);
    assert.equal(numberFromWords("one hundred and five"), 105);
    assert.equal(numberFromWords("a hundred"), 100);
  });
  await t.step("what is not a number in words", () => {
    for (
      const text of [
        "",
        "a",
        "hundred",
        "twenty twenty",
        "one two",
        "ten hundred",
        "nineteen-ninety",
      ]
    ) {
      assert.equal(numberFromWords(text), undefined, text);
    }
  });
  await t.step("the article counts as one only when asked", () => {
    assert.deepEqual(readNumberWords(["a", "year"], { article: true }), { value: 1, words: 1 });
    assert.equal(readNumberWords(["a", "year"]), undefined);
  });
});
