import assert from "node:assert/strict";
import { parseBody } from "./template_body.ts";

Deno.test("parseBody", async (t) => {
  await t.step("parses text, placeholders and blocks into a tree", () => {
    assert.deepEqual(
      parseBody(
        'Hi {{ name }}{{#if a}}A{{#unless b}}B{{/unless}}{{/if}}{{#if c == "X Y"}}C{{/if}}',
      ),
      [
        { kind: "text", text: "Hi " },
        { kind: "placeholder", id: "name", tag: "{{ name }}" },
        {
          kind: "block",
          negate: false,
          id: "a",
          tag: "{{#if a}}",
          children: [
            { kind: "text", text: "A" },
            {
              kind: "block",
              negate: true,
              id: "b",
              tag: "{{#unless b}}",
              children: [{ kind: "text", text: "B" }],
            },
          ],
        },
        {
          kind: "block",
          negate: false,
          id: "c",
          equals: "X Y",
          tag: '{{#if c == "X Y"}}',
          children: [{ kind: "text", text: "C" }],
        },
      ],
    );
  });

  await t.step("a block tag alone on its line takes the line with it", () => {
    const nodes = parseBody("A\n  {{#if x}}  \nB\n{{/if}}\nC");
    assert.deepEqual(nodes, [
      { kind: "text", text: "A\n" },
      {
        kind: "block",
        negate: false,
        id: "x",
        tag: "{{#if x}}",
        children: [{ kind: "text", text: "B\n" }],
      },
      { kind: "text", text: "C" },
    ]);
  });

  await t.step("consecutive standalone tags and tags at the start and end", () => {
    const nodes = parseBody("{{#if a}}\n{{#if b}}\nB\n{{/if}}\n{{/if}}");
    assert.deepEqual(nodes, [{
      kind: "block",
      negate: false,
      id: "a",
      tag: "{{#if a}}",
      children: [{
        kind: "block",
        negate: false,
        id: "b",
        tag: "{{#if b}}",
        children: [{ kind: "text", text: "B\n" }],
      }],
    }]);
  });

  await t.step("inline block tags keep the surrounding text", () => {
    const nodes = parseBody("x {{#if a}}y{{/if}} z\n");
    assert.deepEqual(nodes[0], { kind: "text", text: "x " });
    assert.deepEqual(nodes[2], { kind: "text", text: " z\n" });
  });

  await t.step("placeholders alone on a line keep their line", () => {
    assert.deepEqual(parseBody("a\n{{x}}\nb"), [
      { kind: "text", text: "a\n" },
      { kind: "placeholder", id: "x", tag: "{{x}}" },
      { kind: "text", text: "\nb" },
    ]);
  });

  await t.step("rejects malformed bodies with the offending tag", () => {
    const cases: [string, string][] = [
      ["{{#if a}}x", 'unclosed block "{{#if a}}"'],
      ["x{{/if}}", 'unexpected "{{/if}}" with no open block'],
      ["{{#if a}}x{{/unless}}", '"{{/unless}}" cannot close "{{#if a}}"'],
      ["{{#each a}}x{{/each}}", 'unknown tag "{{#each a}}"'],
      ["{{a b}}", 'unknown tag "{{a b}}"'],
      ['{{#if a = "x"}}y{{/if}}', 'unknown tag "{{#if a = "x"}}"'],
      ["text {{name", 'unclosed tag "{{name"'],
    ];
    for (const [body, message] of cases) {
      assert.throws(() => parseBody(body), { name: "TypeError", message }, body);
    }
  });
  await t.step("parses filters and section numbers", () => {
    assert.deepEqual(
      parseBody('## {{#}}. Term\n{{ years | plural: "year" }} {{t|title|article}}'),
      [
        { kind: "text", text: "## " },
        { kind: "section_number", tag: "{{#}}" },
        { kind: "text", text: ". Term\n" },
        {
          kind: "placeholder",
          id: "years",
          tag: '{{ years | plural: "year" }}',
          filters: [{ name: "plural", arg: "year" }],
        },
        { kind: "text", text: " " },
        {
          kind: "placeholder",
          id: "t",
          tag: "{{t|title|article}}",
          filters: [{ name: "title" }, { name: "article" }],
        },
      ],
    );
  });

  await t.step("parses {{@today}}, the date line, and refuses other @ names", () => {
    assert.deepEqual(parseBody("{{@today}}\n\nDear"), [
      { kind: "today", tag: "{{@today}}" },
      { kind: "text", text: "\n\nDear" },
    ]);
    assert.throws(() => parseBody("{{@tomorrow}}"), /unknown tag "\{\{@tomorrow\}\}"/);
  });

  await t.step("refuses unknown filters and wrong arguments", () => {
    assert.throws(
      () => parseBody("{{x | upper}}"),
      /unknown filter "upper" in "\{\{x \| upper\}\}"/,
    );
    assert.throws(() => parseBody("{{x | plural}}"), /filter "plural" needs a word/);
    assert.throws(() => parseBody('{{x | lower: "y"}}'), /filter "lower" takes no argument/);
    assert.throws(() => parseBody("{{x |}}"), /unknown filter ""/);
  });
});
