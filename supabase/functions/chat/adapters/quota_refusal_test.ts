import assert from "node:assert/strict";
import { QuotaExceededError, WriteRefusedError } from "../ports/session_store.ts";
import { quotaRefusal } from "./quota_refusal.ts";

const SENTENCE = "You started 10 interviews within a minute, the most allowed: try again in 42 " +
  "seconds";

Deno.test("a CH429 detail gives the quota and the wait", () => {
  const refusal = quotaRefusal(
    SENTENCE,
    '{"quota": "sessions_per_minute", "limit": 10, "retryAfterSeconds": 42}',
  );
  assert.ok(refusal instanceof QuotaExceededError);
  assert.equal(refusal.reason, "quota_exceeded");
  assert.equal(refusal.quota, "sessions_per_minute");
  assert.equal(refusal.retryAfterSeconds, 42);
  assert.equal(refusal.message, SENTENCE);
});

Deno.test("open interviews come without a wait", () => {
  const refusal = quotaRefusal(
    "You have 20 interviews in progress",
    '{"quota": "open_interviews"}',
  );
  assert.ok(refusal instanceof QuotaExceededError);
  assert.equal(refusal.quota, "open_interviews");
  assert.equal(refusal.retryAfterSeconds, undefined);
});

Deno.test("a detail that cannot be read still refuses as a quota", () => {
  for (const detail of [undefined, "", "not json", "[]", "null", '{"quota": "tokens"}']) {
    const refusal = quotaRefusal(SENTENCE, detail);
    assert.ok(!(refusal instanceof QuotaExceededError), String(detail));
    assert.ok(refusal instanceof WriteRefusedError);
    assert.equal(refusal.reason, "quota_exceeded");
    assert.equal(refusal.message, SENTENCE);
  }
});

Deno.test("a wait that is not a whole number of seconds is left out", () => {
  for (const wait of ["42", 0, -1, 1.5, null]) {
    const detail = JSON.stringify({ quota: "documents_per_day", retryAfterSeconds: wait });
    const refusal = quotaRefusal(SENTENCE, detail) as QuotaExceededError;
    assert.equal(refusal.quota, "documents_per_day");
    assert.equal(refusal.retryAfterSeconds, undefined, JSON.stringify(wait));
  }
});
