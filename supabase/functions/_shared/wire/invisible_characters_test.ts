import assert from "node:assert/strict";
import {
  codePointLabel,
  findInvisibleCharacter,
  hasInvisibleCharacter,
  invisibleCharacterProblem,
  POSTGRES_PATTERN,
  stripInvisibleCharacters,
} from "./invisible_characters.ts";

const REFUSED_ALWAYS = [
  ...range(0x00, 0x08),
  0x0b,
  0x0c,
  ...range(0x0e, 0x1f),
  ...range(0x7f, 0x9f),
  0x061c,
  0x200b,
  0x200e,
  0x200f,
  ...range(0x202a, 0x202e),
  ...range(0x2060, 0x206f),
  0xfeff,
  0xfffe,
  0xffff,
];

Deno.test("hasInvisibleCharacter", async (t) => {
  await t.step("refuses every character of the rule, between letters too", () => {
    for (const codePoint of REFUSED_ALWAYS) {
      const char = String.fromCodePoint(codePoint);
      assert.ok(hasInvisibleCharacter(`a${char}b`), codePointLabel(codePoint));
    }
  });

  await t.step("refuses exactly those below U+10000 outside the joiners", () => {
    const refused = new Set(REFUSED_ALWAYS);
    for (let codePoint = 0; codePoint < 0x10000; codePoint++) {
      if (codePoint === 0x200c || codePoint === 0x200d) continue;
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const found = hasInvisibleCharacter(`a${String.fromCodePoint(codePoint)}b`);
      assert.equal(found, refused.has(codePoint), codePointLabel(codePoint));
    }
  });

  await t.step("keeps ordinary text of any script, tab and line endings", () => {
    for (
      const text of [
        "Acme GmbH & Söhne",
        "Line one\nline two\r\nthree\ttabbed",
        "Müller — «Société» 株式会社 شركة",
        "پیمان\u200Cنامه", // Persian: ZWNJ between letters
        "क्\u200Dष", // Devanagari: ZWJ after a virama
        "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}", // family emoji sequence
        "\u{1F3F3}\uFE0F\u200D\u{1F308}", // rainbow flag: ZWJ after a variation selector
        "Auf\u200Clage", // Latin: ZWNJ that stops a ligature
        "\u00A0non-breaking\u00A0spaces and a soft\u00ADhyphen",
      ]
    ) assert.equal(hasInvisibleCharacter(text), false, JSON.stringify(text));
  });

  await t.step("refuses a joiner that joins nothing", () => {
    for (
      const text of [
        "\u200DAcme",
        "Acme\u200C",
        "Acme \u200D Corp",
        "Ac\u200D\u200Dme",
        "1\u200D2",
        "a\u200D.",
        "شركة\u00A0\u200Cنامه",
      ]
    ) assert.ok(hasInvisibleCharacter(text), JSON.stringify(text));
  });

  await t.step("refuses lone surrogates, keeps pairs", () => {
    assert.ok(hasInvisibleCharacter("a\uD800b"));
    assert.ok(hasInvisibleCharacter("a\uDC00"));
    assert.equal(hasInvisibleCharacter("a\uD83D\uDE00b"), false);
  });
});

Deno.test("findInvisibleCharacter", () => {
  assert.deepEqual(findInvisibleCharacter("Acme\u202E"), {
    codePoint: 0x202e,
    position: 5,
    kind: "bidi",
  });
  // Positions count characters, not UTF-16 code units, as Postgres does.
  assert.deepEqual(findInvisibleCharacter("\u{1F600}\u{1F600}\u200B"), {
    codePoint: 0x200b,
    position: 3,
    kind: "invisible",
  });
  assert.deepEqual(findInvisibleCharacter("x\x01"), { codePoint: 1, position: 2, kind: "control" });
  assert.equal(findInvisibleCharacter("Acme Corp"), undefined);
});

Deno.test("invisibleCharacterProblem", () => {
  assert.equal(
    invisibleCharacterProblem("Acme\u202E"),
    "Your answer holds an invisible character that changes how text displays " +
      "(U+202E, position 5): remove it",
  );
  assert.equal(
    invisibleCharacterProblem("A\u200Bcme", "The title"),
    "The title holds an invisible character (U+200B, position 2): remove it",
  );
  assert.equal(
    invisibleCharacterProblem("\x01"),
    "Your answer holds a control character (U+0001, position 1): remove it",
  );
  assert.equal(invisibleCharacterProblem("Acme"), undefined);
});

Deno.test("stripInvisibleCharacters", () => {
  assert.equal(stripInvisibleCharacters("Ac\u202Eme\u200B \x01Corp\u2066"), "Acme Corp");
  assert.equal(stripInvisibleCharacters("\u200DAc\u200D\u200Dme\u200C"), "Acme");
  assert.equal(stripInvisibleCharacters("پیمان\u200Cنامه"), "پیمان\u200Cنامه");
});

Deno.test("the migration spells out the same pattern", async () => {
  const migration = await Deno.readTextFile(
    new URL("../../../migrations/20261201000200_write_path.sql", import.meta.url),
  );
  assert.ok(migration.includes(`'${POSTGRES_PATTERN}'`), POSTGRES_PATTERN);
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
