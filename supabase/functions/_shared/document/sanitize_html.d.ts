// Types for the part of sanitize-html (2.x) that the document renderers use. A local file rather
// than @types/sanitize-html: a function's import map holds only what it deploys, and a type
// package there would ship in its bundle (docs/hosted.md).
declare function sanitizeHtml(dirty: string, options?: sanitizeHtml.IOptions): string;
declare namespace sanitizeHtml {
  interface IOptions {
    allowedTags?: string[] | false;
    allowedAttributes?: Record<string, string[]> | false;
    allowedSchemes?: string[];
    allowedSchemesAppliedToAttributes?: string[];
    allowProtocolRelative?: boolean;
    disallowedTagsMode?: "discard" | "escape" | "recursiveEscape";
  }
}
export default sanitizeHtml;
