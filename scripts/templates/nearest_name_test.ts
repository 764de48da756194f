import assert from "node:assert/strict";
import { editDistance, nearestName } from "./nearest_name.ts";

Deno.test("a misspelled id finds its nearest known id, an unrelated one none", () => {
  const ids = ["party_a_name", "party_b_name", "effective_date"];
  assert.equal(nearestName("party_b_nme", ids), "party_b_name");
  assert.equal(nearestName("efective_date", ids), "effective_date");
  assert.equal(nearestName("Party_A_Name", ids), "party_a_name");
  assert.equal(nearestName("salary", ids), undefined);
  assert.equal(nearestName("tite", ["title", "lower"]), "title");
});

Deno.test("swapping two neighbours is one edit", () => {
  assert.equal(editDistance("teh", "the"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
});
