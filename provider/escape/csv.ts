// How a value is written as a CSV cell (RFC 4180) that a spreadsheet opens as data, never
// as a formula: OWASP's rule for CSV injection prefixes a text cell starting with `=`,
// `+`, `-`, `@`, a tab or a line break with `'`; a cell holding a comma, a quote or a line
// break is quoted, quotes doubled.

const FORMULA_START = /^[=+\-@\t\r\n]/;

export function forCsv(v: string | number | boolean | null): string {
    let text = v === null ? "" : String(v);
    if (typeof v === "string" && FORMULA_START.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
