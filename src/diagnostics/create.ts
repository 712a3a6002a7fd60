/** The only way to make a compiler diagnostic: a code from the catalog, a span, and the data for its template. */
import { catalog, type Code } from "./catalog.js";
import type { Diagnostic, Note } from "./diagnostic.js";
import type { Span } from "./span.js";

export type DiagData = Readonly<Record<string, string | number>>;

export function fillTemplate(template: string, data: DiagData): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = data[key];
    return value === undefined ? whole : String(value);
  });
}

export function diag(code: Code, span: Span | undefined, data: DiagData = {}, notes?: readonly Note[]): Diagnostic {
  const entry = catalog[code];
  return {
    code,
    severity: entry.severity,
    message: fillTemplate(entry.template, data),
    ...(span ? { span } : {}),
    ...(notes && notes.length > 0 ? { notes } : {}),
  };
}

/** Quote a value from the spec for a message: `"like this"`. */
export function q(text: string): string {
  return `\`${text}\``;
}
