import assert from "node:assert/strict";
import { createEmbeddedFont } from "./embedded_font.ts";
import { FONT_STYLES } from "./font_data.ts";
import { createFlow } from "./page_flow.ts";
import { shapeRuns } from "./shaped_text.ts";
import { drawBullet, drawLine, drawRule, type FontSet, type RunStyle } from "./text_drawing.ts";

function fonts(): FontSet {
  return Object.fromEntries(
    FONT_STYLES.map((style, i) => [style, createEmbeddedFont(style, i)]),
  ) as unknown as FontSet;
}

const METRICS = { ascent: 0.9, descent: -0.25 };

Deno.test("a line is one text object, each run placed where the layout measured it", () => {
  const flow = createFlow();
  const set = fonts();
  const text = shapeRuns(
    [{ text: "Ab", font: "regular" }, { text: "C", font: "bold" }],
    10,
    new Set(),
  );
  const styles: RunStyle[] = [{ font: "regular" }, { font: "bold" }];
  drawLine(flow, set, text, styles, { start: 0, end: 3, width: 0 }, 5, 20, 10, METRICS);
  const [ops] = flow.ops;
  const second = 56 + 5 + text.widths[0]! + text.widths[1]!;
  assert.equal(
    ops,
    [
      "BT",
      "0 0 0 rg",
      `/F1 10 Tf 1 0 0 1 61 765.89 Tm <00010002> Tj`,
      `/F2 10 Tf 1 0 0 1 ${Math.round(second * 1000) / 1000} 765.89 Tm <0001> Tj`,
      "ET",
    ].join("\n"),
  );
});

Deno.test("links are coloured and underlined, struck text struck, code on grey", () => {
  const flow = createFlow();
  const text = shapeRuns(
    [
      { text: "link", font: "regular" },
      { text: "gone", font: "regular" },
      { text: "code", font: "regular" },
    ],
    10,
    new Set(),
  );
  const styles: RunStyle[] = [
    { font: "regular", color: [0, 0, 1], underline: true, link: "https://example.com" },
    { font: "regular", strike: true },
    { font: "regular", background: [0.9, 0.9, 0.9] },
  ];
  drawLine(flow, fonts(), text, styles, { start: 0, end: 12, width: 0 }, 0, 20, 10, METRICS);
  const all = flow.ops.join("\n");
  assert.match(all, /^0\.9 0\.9 0\.9 rg [\d. ]+ re f\n/, "the grey goes under the text");
  assert.match(all, /\n0 0 1 rg\n\/F1 10 Tf/);
  assert.equal(all.match(/ re f/g)?.length, 3, "background, underline, strike");
  assert.match(all, /0 0 0 rg$/, "black again after");
  assert.equal(flow.links[0]!.length, 1);
  const [link] = flow.links[0]!;
  assert.equal(link!.uri, "https://example.com");
  assert.equal(link!.rect[0], 56);
  assert.ok(
    Math.abs(link!.rect[2] - (56 + text.widths.subarray(0, 4).reduce((a, b) => a + b, 0))) < 1e-9,
  );
});

Deno.test("an empty line draws nothing; rules and bullets are paths, as artifacts", () => {
  const flow = createFlow();
  const text = shapeRuns([{ text: "a", font: "regular" }], 10, new Set());
  drawLine(
    flow,
    fonts(),
    text,
    [{ font: "regular" }],
    { start: 0, end: 0, width: 0 },
    0,
    20,
    10,
    METRICS,
  );
  assert.deepEqual(flow.ops, []);
  drawRule(flow, 0, 10, 100, 0.5);
  drawBullet(flow, 4, 10, 2, 0);
  drawBullet(flow, 4, 10, 2, 1);
  drawBullet(flow, 4, 10, 2, 2);
  // Each is an artifact: `/Artifact BMC`, its path, `EMC`.
  assert.deepEqual(
    flow.ops.filter((_, i) => i % 3 !== 1),
    Array(8).fill(0).map((_, i) => i % 2 === 0 ? "/Artifact BMC" : "EMC"),
  );
  const paths = flow.ops.filter((_, i) => i % 3 === 1);
  assert.equal(paths[0], "0 g 56 775.39 100 0.5 re f 0 g");
  assert.match(paths[1]!, / c f$/, "a disc");
  assert.match(paths[2]!, /^0\.6 w .* c s$/, "a circle");
  assert.match(paths[3]!, / re f$/, "a square");
});
