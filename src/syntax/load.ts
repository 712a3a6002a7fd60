/**
 * Reads a spec and its includes into one list of top-level sections, in the order the text gives
 * them ("as if the included text stood there"). Include paths are relative to the including file.
 */
import { dirname, join, normalize, relative, resolve } from "node:path";
import type { Include, Section } from "../ast/nodes.js";
import { diag, q } from "../diagnostics/create.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { SourceFile, type Span } from "../diagnostics/span.js";
import { parseSource, type ParsedFile } from "./parse.js";

/** How files are read: injected so tests and stdin need no disk. Returns bytes, or throws an Error with a `code`. */
export type ReadFile = (path: string) => Uint8Array;

export interface LoadedSpec {
  /** The main file first, then includes in the order they were reached. */
  readonly files: readonly ParsedFile[];
  readonly sections: readonly Section[];
  readonly diagnostics: readonly Diagnostic[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function loadSpecText(name: string, text: string, readFile: ReadFile): LoadedSpec {
  const loader = new Loader(readFile);
  loader.loadText(name, text, [resolve(name)]);
  return loader.result();
}

export function loadSpecFile(path: string, readFile: ReadFile): LoadedSpec {
  const loader = new Loader(readFile);
  loader.loadPath(path, [], undefined);
  return loader.result();
}

class Loader {
  private readonly files: ParsedFile[] = [];
  private readonly sections: Section[] = [];
  private readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly readFile: ReadFile) {}

  result(): LoadedSpec {
    return { files: this.files, sections: this.sections, diagnostics: this.diagnostics };
  }

  loadPath(path: string, chain: readonly string[], includedAt: Span | undefined): void {
    let bytes: Uint8Array;
    try {
      bytes = this.readFile(path);
    } catch (error) {
      const reason = describeIoError(error);
      this.diagnostics.push(includedAt ? diag("HAL1006", includedAt, { path: q(path), reason }) : diag("HAL5001", undefined, { path, reason }));
      return;
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      this.diagnostics.push(diag("HAL1009", includedAt ?? new SourceFile(path, "").span(0, 0)));
      return;
    }
    this.loadText(path, text, [...chain, resolve(path)]);
  }

  loadText(name: string, text: string, chain: readonly string[]): void {
    const parsed = parseSource(new SourceFile(name, text.replace(/^\ufeff/, "")));
    this.files.push(parsed);
    this.diagnostics.push(...parsed.diagnostics);
    for (const item of parsed.ast.items) {
      if (item.kind === "Section") {
        this.sections.push(item);
        for (const statement of item.body) if (statement.kind === "Include") this.diagnostics.push(diag("HAL1008", statement.span));
      } else this.include(name, item, chain);
    }
  }

  private include(from: string, include: Include, chain: readonly string[]): void {
    const written = include.path.kind === "string" ? include.path.value : include.path.text;
    if (written === "") return; // a syntax error was already reported
    const path = normalize(join(dirname(from), written));
    if (chain.includes(resolve(path))) {
      const names = [...chain, resolve(path)].map((p) => relativeName(p));
      this.diagnostics.push(diag("HAL1007", include.path.span, { path: q(written), chain: names.join(" → ") }));
      return;
    }
    this.loadPath(path, chain, include.path.span);
  }
}

/** A path as a person would write it from the working directory. */
function relativeName(path: string): string {
  return relative(process.cwd(), path) || path;
}

function describeIoError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return error instanceof Error ? error.message : String(error);
}
