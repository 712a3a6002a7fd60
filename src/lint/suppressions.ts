/**
 * Inline suppressions, read from the comments the lexer keeps aside:
 *   # halb-disable-next-line ID[, ID…] [-- reason]   the next line that holds code
 *   … # halb-disable-line ID…                          the line the comment ends
 *   # halb-disable-file ID…                            the whole file
 * IDs are rule ids or names. Naming an unknown rule is LINT001; a suppression that silenced
 * nothing is LINT002, so stale ones do not pile up.
 */
import type { IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../diagnostics/span.js";
import { refId, resolveRuleRef } from "./registry.js";

type Kind = "next-line" | "line" | "file";

interface Entry {
  readonly text: string;
  /** The id it resolves to; undefined for an unknown rule. */
  readonly id: string | undefined;
  readonly span: Span;
  used: boolean;
}

interface Suppression {
  readonly kind: Kind;
  /** The line it covers (1-based); 0 for a whole file. */
  readonly line: number;
  readonly entries: Entry[];
  readonly span: Span;
}

const PRAGMA = /^#\s*halb-disable-(next-line|line|file)(?=\s|$)/;

export class Suppressions {
  private readonly byFile = new Map<string, Suppression[]>();

  /** Reads the pragmas of a file (once per file, however many specs include it). */
  addFile(source: SourceFile, comments: readonly IToken[]): void {
    if (this.byFile.has(source.name)) return;
    const found: Suppression[] = [];
    for (const comment of comments) {
      const match = PRAGMA.exec(comment.image);
      if (!match) continue;
      const kind = match[1] as Kind;
      const start = comment.startOffset;
      const line = comment.startLine ?? source.position(start).line;
      const entries = parseEntries(comment.image, match[0].length).map(({ text, offset }) => {
        const ref = resolveRuleRef(text);
        return { text, id: ref ? refId(ref) : undefined, span: source.span(start + offset, start + offset + text.length), used: false };
      });
      found.push({ kind, line: kind === "file" ? 0 : kind === "line" ? line : nextCodeLine(source, line), entries, span: source.span(start, start + comment.image.length) });
    }
    this.byFile.set(source.name, found);
  }

  /** True when a pragma covers this finding; marks the pragma used. */
  covers(finding: Diagnostic): boolean {
    if (!finding.span) return false;
    let covered = false;
    for (const s of this.byFile.get(finding.span.file) ?? []) {
      if (s.kind !== "file" && s.line !== finding.span.start.line) continue;
      for (const entry of s.entries) {
        if (entry.id === finding.code) {
          entry.used = true;
          covered = true;
        }
      }
    }
    return covered;
  }

  /** LINT001 for unknown rules and empty pragmas, LINT002 for pragmas that silenced nothing. */
  problems(): { code: "LINT001" | "LINT002"; span: Span; message: string }[] {
    const out: { code: "LINT001" | "LINT002"; span: Span; message: string }[] = [];
    for (const list of this.byFile.values()) {
      for (const s of list) {
        if (s.entries.length === 0) out.push({ code: "LINT001", span: s.span, message: `This \`halb-disable-${s.kind}\` names no rule; list the rule ids it should silence.` });
        for (const entry of s.entries) {
          if (entry.id === undefined) out.push({ code: "LINT001", span: entry.span, message: `\`${entry.text}\` is not a halb rule, so this suppression silences nothing.` });
          else if (!entry.used) out.push({ code: "LINT002", span: entry.span, message: `Nothing reported ${entry.id} ${s.kind === "file" ? "in this file" : `on line ${s.line}`}: remove this suppression.` });
        }
      }
    }
    return out;
  }
}

/** `ID, ID ID -- reason` → the ids with their offsets in the comment. */
function parseEntries(image: string, from: number): { text: string; offset: number }[] {
  const reasonAt = image.indexOf("--", from);
  const list = image.slice(from, reasonAt < 0 ? image.length : reasonAt);
  const out: { text: string; offset: number }[] = [];
  for (const match of list.matchAll(/[^\s,]+/g)) out.push({ text: match[0], offset: from + match.index! });
  return out;
}

/** The first line after `line` that is neither blank nor only a comment. */
function nextCodeLine(source: SourceFile, line: number): number {
  for (let next = line + 1; next <= source.lineStarts.length; next++) {
    const text = source.lineText(next).trim();
    if (text !== "" && !text.startsWith("#")) return next;
  }
  return line + 1;
}
