import assert from "node:assert/strict";
import {
  createFlow,
  makeRoom,
  PAGE_HEIGHT,
  PAGE_MARGIN,
  pdfX,
  pdfY,
  skip,
  TEXT_HEIGHT,
  TEXT_WIDTH,
} from "./page_flow.ts";

Deno.test("A4 with a 56 pt margin", () => {
  assert.equal(TEXT_WIDTH, 595.28 - 112);
  assert.equal(TEXT_HEIGHT, 841.89 - 112);
  assert.equal(pdfY(0), PAGE_HEIGHT - PAGE_MARGIN);
  assert.equal(pdfX(10), 66);
});

Deno.test("what does not fit starts a new page; an empty page takes anything", () => {
  const flow = createFlow();
  makeRoom(flow, TEXT_HEIGHT * 2);
  assert.equal(flow.pages.length, 1, "an empty page is not left empty");
  flow.y = TEXT_HEIGHT - 10;
  makeRoom(flow, 5);
  assert.equal(flow.pages.length, 1);
  makeRoom(flow, 20);
  assert.equal(flow.pages.length, 2);
  assert.equal(flow.y, 0);
  assert.equal(flow.ops, flow.pages[1]);
});

Deno.test("a margin at the top of a page is dropped, and never runs past the page", () => {
  const flow = createFlow();
  skip(flow, 12);
  assert.equal(flow.y, 0);
  flow.y = 100;
  skip(flow, 12);
  assert.equal(flow.y, 112);
  flow.y = TEXT_HEIGHT - 1;
  skip(flow, 12);
  assert.equal(flow.y, TEXT_HEIGHT);
});
