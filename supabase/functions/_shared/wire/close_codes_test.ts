// The close-code table is the contract: every code in it is documented in docs/protocol.md with
// the same advice to clients, and the document names no code the table lacks.
import assert from "node:assert/strict";
import { CLOSE_CODES, CloseCode, closeCodeEntry } from "./close_codes.ts";

const PROTOCOL_DOC = new URL("../../../../docs/protocol.md", import.meta.url);

/** The "Close codes" table of docs/protocol.md: code -> what the client should do, in words. */
async function documentedCodes(): Promise<Map<number, string>> {
  const text = await Deno.readTextFile(PROTOCOL_DOC);
  const section = text.split("## Close codes")[1]?.split("\n## ")[0] ?? "";
  const rows = new Map<number, string>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const code = Number(cells[1]);
    if (Number.isInteger(code) && code > 0) rows.set(code, cells[3] ?? "");
  }
  return rows;
}

function actionInWords(advice: string): string {
  if (advice.startsWith("stop")) return "stop";
  if (advice.startsWith("fetch a fresh token")) return "refresh_token";
  if (advice.includes("longer backoff")) return "reconnect_slowly";
  if (advice.startsWith("reconnect")) return "reconnect";
  throw new TypeError(`Cannot read the advice "${advice}": not stop, reconnect or a fresh token`);
}

Deno.test("the close-code table and docs/protocol.md agree", async () => {
  const documented = await documentedCodes();
  assert.ok(documented.size >= 10, `found ${documented.size} rows`);
  for (const [name, { code, client }] of Object.entries(CLOSE_CODES)) {
    const advice = documented.get(code);
    assert.ok(advice !== undefined, `${name} (${code}) is not in docs/protocol.md`);
    assert.equal(actionInWords(advice), client, `${name} (${code}): "${advice}"`);
  }
  const named = new Set<number>(Object.values(CLOSE_CODES).map(({ code }) => code));
  for (const code of documented.keys()) {
    assert.ok(named.has(code), `docs/protocol.md names ${code}, which the table lacks`);
  }
});

Deno.test("the codes by name, and the entry of a code", () => {
  assert.equal(CloseCode.superseded, 4509);
  assert.equal(CloseCode.quotaExceeded, 4529);
  assert.deepEqual(closeCodeEntry(4001), {
    name: "tokenExpired",
    code: 4001,
    meaning: "token expired",
    client: "refresh_token",
  });
  assert.equal(closeCodeEntry(4000), undefined, "the server never sends 4000");
});
