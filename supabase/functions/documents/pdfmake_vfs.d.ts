// Types for pdfmake's build/vfs_fonts.js: the Roboto font files, by name, as base64.
declare const vfs: Readonly<Record<string, string>>;
export default vfs;
