/**
 * A stored document as a file to download. One parse: the document's Markdown (see
 * documentMarkdown) is lexed once and the same tokens make the HTML, DOCX and PDF files; the
 * Markdown file is that Markdown without the escapes only our renderers need (readerMarkdown).
 *
 * The DOCX and PDF renderers are imported on first use: the DOCX writer and the PDF's fonts
 * (close to a megabyte of base64) would otherwise load on a cold start of the list and JSON
 * routes too.
 *
 * A document over the one maximum (LIMITS.maxDocumentChars: stored before the limit, or by hand)
 * is never rendered: every renderer is measured only up to it (BENCHMARKS.md), and past it a
 * render could outlast an Edge Function's CPU or memory and take its other requests down.
 */
import {
  describeOversize,
  type DocumentOversize,
  documentOversize,
} from "../_shared/document/document_size.ts";
import { documentMarkdown, parseMarkdown } from "../_shared/document/markdown.ts";
import type { DocumentRecord } from "./document_reads.ts";
import { renderHtmlFile } from "./html_file.ts";
import { readerMarkdown } from "./markdown_file.ts";

export const DOWNLOAD_FORMATS = ["md", "html", "docx", "pdf"] as const;
export type DownloadFormat = typeof DOWNLOAD_FORMATS[number];

export interface DownloadFile {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  extension: DownloadFormat;
}

/** A document too large to render in any format; the handler answers 413. */
export class DocumentTooLargeError extends RangeError {
  override name = "DocumentTooLargeError";
  constructor(readonly oversize: DocumentOversize) {
    super(describeOversize(oversize));
  }
}

export function isDownloadFormat(value: string): value is DownloadFormat {
  return (DOWNLOAD_FORMATS as readonly string[]).includes(value);
}

export async function renderDownload(
  document: Pick<DocumentRecord, "title" | "content" | "format">,
  format: DownloadFormat,
): Promise<DownloadFile> {
  const oversize = documentOversize(document);
  if (oversize) throw new DocumentTooLargeError(oversize);
  const markdown = documentMarkdown(document);
  const utf8 = (text: string) => new TextEncoder().encode(text);
  if (format === "md") {
    return {
      body: utf8(readerMarkdown(markdown)),
      contentType: "text/markdown; charset=utf-8",
      extension: "md",
    };
  }
  const tokens = parseMarkdown(markdown);
  const options = { title: document.title };
  switch (format) {
    case "html":
      return {
        body: utf8(renderHtmlFile(tokens, options)),
        contentType: "text/html; charset=utf-8",
        extension: "html",
      };
    case "docx": {
      const { renderDocx } = await import("./docx_file.ts");
      return {
        body: await renderDocx(tokens, options),
        contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        extension: "docx",
      };
    }
    case "pdf": {
      const { renderPdf } = await import("./pdf_file.ts");
      return {
        body: (await renderPdf(tokens, options)).bytes,
        contentType: "application/pdf",
        extension: "pdf",
      };
    }
  }
}
