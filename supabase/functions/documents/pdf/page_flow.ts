/**
 * Pages and the cursor that flows down them: A4, a 56 pt margin on every side. Each page is a
 * list of content-stream operators, joined once when the file is written; the structure tree
 * (structure_tree.ts) says which element each drawn line belongs to. Positions are from
 * the top-left corner of the text area; `pdfY` turns them into PDF's bottom-up coordinates.
 */
import { StructureTree } from "./structure_tree.ts";

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const PAGE_MARGIN = 56;
export const TEXT_WIDTH = PAGE_WIDTH - 2 * PAGE_MARGIN;
export const TEXT_HEIGHT = PAGE_HEIGHT - 2 * PAGE_MARGIN;

/** A link's clickable area on a page, in PDF coordinates. */
export interface PageLink {
  rect: [number, number, number, number];
  uri: string;
}

export interface Flow {
  /** Every page's operators, the current page last. */
  pages: string[][];
  /** Every page's links, by page. */
  links: PageLink[][];
  /** The current page's operators. */
  ops: string[];
  /** The cursor: how far down the text area the next thing goes. */
  y: number;
  /** The logical structure the drawing is tagged with. */
  tags: StructureTree;
}

export function createFlow(): Flow {
  const ops: string[] = [];
  return { pages: [ops], links: [[]], ops, y: 0, tags: new StructureTree() };
}

export function newPage(flow: Flow): void {
  flow.ops = [];
  flow.pages.push(flow.ops);
  flow.links.push([]);
  flow.y = 0;
}

/** Makes a stretch of the current page open `uri` when clicked. */
export function addLink(flow: Flow, link: PageLink): void {
  flow.links[flow.links.length - 1]!.push(link);
}

/** Starts a new page unless `height` fits below the cursor or the page is still empty. */
export function makeRoom(flow: Flow, height: number): void {
  if (flow.y > 0 && flow.y + height > TEXT_HEIGHT + 1e-6) newPage(flow);
}

/** Moves the cursor down by a block's margin; a margin at the top of a page is dropped. */
export function skip(flow: Flow, margin: number): void {
  if (flow.y > 0) flow.y = Math.min(flow.y + margin, TEXT_HEIGHT);
}

/** The PDF coordinate of a distance down the text area. */
export function pdfY(y: number): number {
  return PAGE_HEIGHT - PAGE_MARGIN - y;
}

/** The PDF coordinate of a distance across the text area. */
export function pdfX(x: number): number {
  return PAGE_MARGIN + x;
}
