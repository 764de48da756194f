// Types for the part of pdfmake's browser build (0.3) that pdf_file.ts uses. @types/pdfmake would
// bring Node's types along (through @types/pdfkit), which replace some of Deno's global ones.

/** A block or inline node of a pdfmake document definition. */
export type Content = string | { [key: string]: unknown } | Content[];

export interface DocumentDefinition {
  content: Content[];
  [key: string]: unknown;
}

export interface CreatedPdf {
  getBuffer(): Promise<Uint8Array>;
}

declare const pdfMake: {
  createPdf(definition: DocumentDefinition): CreatedPdf;
  /** Adds files (name to base64 content) to the in-memory file system fonts are read from. */
  addVirtualFileSystem(vfs: Readonly<Record<string, string>>): void;
  /** Decides which URLs a document may load (images, fonts). */
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
};
export default pdfMake;
