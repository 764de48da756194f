// Types for the part of the docx package (9.15) that docx_file.ts uses. The package's own
// declarations reference Node's types (`/// <reference types="node" />`, @types/node 26), which
// replace some of Deno's global ones (Event, CryptoKey) in every module type-checked with them.

export declare const AlignmentType: {
  readonly START: "start";
  readonly LEFT: "left";
  readonly CENTER: "center";
  readonly RIGHT: "right";
};
export declare const BorderStyle: { readonly SINGLE: "single" };
export declare const HeadingLevel: {
  readonly HEADING_1: "Heading1";
  readonly HEADING_2: "Heading2";
  readonly HEADING_3: "Heading3";
  readonly HEADING_4: "Heading4";
  readonly HEADING_5: "Heading5";
  readonly HEADING_6: "Heading6";
};
export declare const LevelFormat: { readonly DECIMAL: "decimal" };
export declare const TableLayoutType: { readonly FIXED: "fixed" };
export declare const WidthType: { readonly DXA: "dxa"; readonly PERCENTAGE: "pct" };

type Values<T> = T[keyof T];

export interface ILevelsOptions {
  level: number;
  format: Values<typeof LevelFormat>;
  text: string;
  start?: number;
  alignment?: Values<typeof AlignmentType>;
  style?: { paragraph?: { indent?: { left?: number; hanging?: number } } };
}

export interface TextRunOptions {
  text: string;
  break?: number;
  bold?: boolean;
  italics?: boolean;
  strike?: boolean;
  font?: string;
  style?: string;
}
export declare class TextRun {
  constructor(options: TextRunOptions | string);
}

export declare class ExternalHyperlink {
  constructor(options: { link: string; children: readonly TextRun[] });
}

export type ParagraphChild = TextRun | ExternalHyperlink;

export interface ParagraphOptions {
  children?: readonly ParagraphChild[];
  heading?: Values<typeof HeadingLevel>;
  alignment?: Values<typeof AlignmentType>;
  indent?: { left?: number; hanging?: number };
  spacing?: { before?: number; after?: number };
  bullet?: { level: number };
  numbering?: { reference: string; level: number; instance?: number };
  border?: {
    bottom?: { style: Values<typeof BorderStyle>; size: number; color: string; space: number };
  };
}
export declare class Paragraph {
  constructor(options: ParagraphOptions | string);
}

interface Width {
  size: number;
  type: Values<typeof WidthType>;
}
export declare class TableCell {
  constructor(options: { children: readonly Paragraph[]; width?: Width });
}
export declare class TableRow {
  constructor(options: { children: readonly TableCell[]; tableHeader?: boolean });
}
export declare class Table {
  constructor(options: {
    rows: readonly TableRow[];
    width?: Width;
    columnWidths?: readonly number[];
    layout?: Values<typeof TableLayoutType>;
  });
}

export declare class Document {
  constructor(options: {
    title?: string;
    creator?: string;
    numbering?: { config: readonly { reference: string; levels: readonly ILevelsOptions[] }[] };
    sections: readonly { children: readonly (Paragraph | Table)[] }[];
  });
}

export declare class Packer {
  static toArrayBuffer(document: Document): Promise<ArrayBuffer>;
}
