// Reads a .docx file from standard input with mammoth and writes `{ html, text, messages }` as
// JSON to standard output. A program of its own because mammoth (1.13) sets `__proto__`, which
// Deno allows only with --unsafe-proto: file_readers.ts runs it with that flag, so the flag
// never applies to the test suite itself.
import mammoth from "mammoth";

const input = new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
const buffer = { buffer: input } as unknown as Parameters<typeof mammoth.convertToHtml>[0];
const html = await mammoth.convertToHtml(buffer);
const text = await mammoth.extractRawText(buffer);
console.log(JSON.stringify({
  html: html.value,
  text: text.value,
  messages: [...html.messages, ...text.messages].map((m) => `${m.type}: ${m.message}`),
}));
