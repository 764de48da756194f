/** The usage text of `npm run templates`, for main.ts and the commands it loads on demand. */
export const USAGE = `Usage:
  npm run templates -- check [file or folder]
  npm run templates -- preview <slug> <answers.json> [--format md|html|docx|pdf] [--out file] [--dir folder]
  npm run templates -- publish [folder] [--by name]
  npm run templates -- retire <slug>`;
