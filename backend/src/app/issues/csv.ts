/** CSV for spreadsheets: RFC 4180 quoting, and text cells that a spreadsheet would run as a formula neutralised. */

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell. Strings starting with `=`, `+`, `-`, `@` (or a tab / carriage return) get a leading `'` so Excel,
 * LibreOffice and Google Sheets show them as text (OWASP "CSV injection"); numbers are written as numbers.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (value instanceof Date) text = value.toISOString();
  else if (Array.isArray(value)) text = escapeFormula(value.map(String).join('; '));
  else text = escapeFormula(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** UTF-8 byte order mark: Excel then reads the file as UTF-8. */
export const CSV_BOM = '\uFEFF';
