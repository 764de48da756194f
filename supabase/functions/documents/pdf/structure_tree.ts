/**
 * The PDF's logical structure, for assistive technology (a tagged PDF, ISO 32000-1 section 14.8):
 * the layout opens structure elements as it draws blocks (H1-H6, P, L / LI / Lbl / LBody, Table /
 * TR / TH / TD, BlockQuote, Code), every drawn line of text is marked content of its element
 * (`/P <</MCID n>> BDC ... EMC`), and decoration (rules, bullets, a table header repeated on a
 * new page) is an artifact that readers skip. Written as the structure tree, with the parent
 * tree that maps each page's marked content back to its element.
 */
import type { PdfWriter } from "./pdf_writer.ts";

/** Marked content: the `mcid`-th marked sequence of page `page` (0-based). */
interface MarkedContent {
  page: number;
  mcid: number;
}

export interface StructElement {
  /** A standard structure type: "P", "H1", "LI", "TD", ... */
  type: string;
  kids: (StructElement | MarkedContent)[];
}

/** Where operators go: the current page's list (page_flow.ts's Flow). */
export interface MarkTarget {
  pages: readonly unknown[];
  ops: string[];
}

export class StructureTree {
  readonly root: StructElement = { type: "Document", kids: [] };
  /** Per page, the element of each MCID, in MCID order. */
  readonly pageParents: StructElement[][] = [];
  #open: StructElement[] = [this.root];

  /** The element being drawn. */
  get current(): StructElement {
    return this.#open.at(-1)!;
  }

  /** A new element under the current one, not entered (a list item's label). */
  add(type: string): StructElement {
    const element: StructElement = { type, kids: [] };
    this.current.kids.push(element);
    return element;
  }

  /** Runs `draw` with a new element of `type` under the current one as the current element. */
  within(type: string, draw: () => void): void {
    this.#open.push(this.add(type));
    try {
      draw();
    } finally {
      this.#open.pop();
    }
  }

  /** Marks the operators `draw` pushes on the current page as content of `element`. */
  mark(target: MarkTarget, element: StructElement, draw: () => void): void {
    const page = target.pages.length - 1;
    const parents = this.pageParents[page] ??= [];
    const mcid = parents.length;
    parents.push(element);
    element.kids.push({ page, mcid });
    target.ops.push(`/${element.type} <</MCID ${mcid}>> BDC`);
    draw();
    target.ops.push("EMC");
  }
}

/** The operators `draw` pushes, as an artifact: drawn, but not part of the text. */
export function drawArtifact(target: MarkTarget, draw: () => void): void {
  target.ops.push("/Artifact BMC");
  draw();
  target.ops.push("EMC");
}

/**
 * Writes the structure tree, its elements and the parent tree; `pages` are the page objects,
 * each written with `/StructParents` its index. Elements with no content are left out. Returns
 * the StructTreeRoot's object number.
 */
export function writeStructureTree(
  writer: PdfWriter,
  tree: StructureTree,
  pages: readonly number[],
): number {
  const rootId = writer.reserve();
  const ids = new Map<StructElement, number>();
  const kept = (element: StructElement): boolean => {
    let keep = false;
    for (const kid of element.kids) if (!("type" in kid) || kept(kid)) keep = true;
    if (keep) ids.set(element, writer.reserve());
    return keep;
  };
  kept(tree.root);
  const write = (element: StructElement, parent: number) => {
    const id = ids.get(element)!;
    // Marked content all on one page (nearly every element) is written as bare MCIDs under the
    // element's /Pg; content across pages needs a marked-content reference each.
    let page: number | undefined;
    for (const kid of element.kids) {
      if ("type" in kid) continue;
      if (page === undefined) page = kid.page;
      else if (page !== kid.page) page = -1;
    }
    const onePage = page !== undefined && page >= 0;
    const kids: string[] = [];
    for (const kid of element.kids) {
      if (!("type" in kid)) {
        kids.push(
          onePage
            ? String(kid.mcid)
            : `<< /Type /MCR /Pg ${pages[kid.page]} 0 R /MCID ${kid.mcid} >>`,
        );
      } else if (ids.has(kid)) {
        kids.push(`${ids.get(kid)} 0 R`);
        write(kid, id);
      }
    }
    const pg = onePage ? `/Pg ${pages[page!]} 0 R ` : "";
    // A header cell heads its column (the only header a Markdown table has).
    const scope = element.type === "TH" ? "/A << /O /Table /Scope /Column >> " : "";
    writer.object(
      id,
      `<< /S /${element.type} /P ${parent} 0 R ${pg}${scope}/K [${kids.join(" ")}] >>`,
    );
  };
  const parentTree = writer.reserve();
  const nums = pages.map((_, page) =>
    `${page} [${(tree.pageParents[page] ?? []).map((e) => `${ids.get(e)} 0 R`).join(" ")}]`
  );
  writer.object(parentTree, `<< /Nums [${nums.join(" ")}] >>`);
  const kids = ids.has(tree.root) ? `/K ${ids.get(tree.root)} 0 R ` : "";
  if (ids.has(tree.root)) write(tree.root, rootId);
  writer.object(
    rootId,
    `<< /Type /StructTreeRoot ${kids}/ParentTree ${parentTree} 0 R ` +
      `/ParentTreeNextKey ${pages.length} >>`,
  );
  return rootId;
}

/** XMP metadata with the title and language, as PDF/UA asks beside the Info dictionary. */
export function xmpMetadata(title: string, language: string): string {
  const xml = (text: string) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(title)}</rdf:li></rdf:Alt></dc:title>`,
    `<dc:language><rdf:Bag><rdf:li>${xml(language)}</rdf:li></rdf:Bag></dc:language>`,
    "<dc:format>application/pdf</dc:format>",
    "<pdf:Producer>guided-document-chat</pdf:Producer>",
    "</rdf:Description>",
    "</rdf:RDF>",
    "</x:xmpmeta>",
    '<?xpacket end="w"?>',
  ].join("\n");
}
