/**
 * `halb compile --check`: compare OUT with the bundle without writing anything, as a unified diff.
 * Files that hold secrets (private mode on either side, or recorded so in the old manifest) are only
 * named, never shown: a diff is printed to terminals and CI logs.
 */
import { join } from "node:path";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/create.js";
import { formatMode, isPrivateMode } from "./mode.js";
import type { ManifestEntry } from "./manifest.js";
import { bundleFiles, type Bundle } from "./plan.js";
import { describeEntry, readSnapshot, type DiskEntry } from "./snapshot.js";

export interface CheckResult {
  readonly upToDate: boolean;
  /** Empty when up to date; otherwise one section per differing file, LF-terminated. */
  readonly diff: string;
  /** HAL5004 per differing path (or HAL5001/HAL5002 when OUT cannot be read). */
  readonly diagnostics: readonly Diagnostic[];
}

const NULL = "/dev/null";

export async function checkBundle(outDir: string, bundle: Bundle): Promise<CheckResult> {
  const files = bundleFiles(bundle);
  const result = await readSnapshot(outDir, files.map((f) => f.path));
  if (!result.ok) return { upToDate: false, diff: "", diagnostics: result.diagnostics };
  const { entries, oldManifest } = result.snapshot;
  const recorded = new Map<string, ManifestEntry>();
  if (oldManifest.kind === "ok") for (const f of oldManifest.manifest.files) recorded.set(f.path, f);
  const entry = (path: string): DiskEntry => entries.get(path) ?? { kind: "absent" };
  const wasPrivate = (path: string, current: DiskEntry): boolean =>
    (current.kind === "file" && isPrivateMode(current.mode)) || isPrivateMode(recorded.get(path)?.mode ?? 0o644);

  const sections: string[] = [];
  const differing: string[] = [];
  const produced = new Set<string>();
  for (const file of files) {
    produced.add(file.path);
    const current = entry(file.path);
    const secret = isPrivateMode(file.mode) || wasPrivate(file.path, current);
    const section = compareFile(file.path, current, file.contents, file.mode, secret);
    if (section !== "") {
      sections.push(section);
      differing.push(file.path);
    }
  }
  // Files an earlier compile wrote that this one would delete. Files halb never wrote are not its business.
  for (const path of [...recorded.keys()].sort()) {
    const current = entry(path);
    if (produced.has(path) || current.kind === "absent") continue;
    sections.push(removal(path, current, wasPrivate(path, current)));
    differing.push(path);
  }

  return {
    upToDate: differing.length === 0,
    diff: sections.join(""),
    diagnostics: differing.map((path) => diag("HAL5004", undefined, { path: join(outDir, path) })),
  };
}

/** The diff section for one bundle file, or "" when disk already matches. */
function compareFile(path: string, current: DiskEntry, contents: string, mode: number, secret: boolean): string {
  const a = `a/${path}`;
  const b = `b/${path}`;
  if (current.kind === "absent") {
    return secret ? `Secret files ${NULL} and ${b} differ (contents not shown)\n` : patch(NULL, b, "", contents);
  }
  if (current.kind !== "file") return `${a} is ${describeEntry(current)}, expected a file with mode ${formatMode(mode)}\n`;
  let section = "";
  if (current.mode !== mode) section += `Mode of ${path} differs: ${formatMode(current.mode)} in OUT, ${formatMode(mode)} expected\n`;
  const old = current.contents.toString("utf8");
  if (!current.contents.equals(Buffer.from(contents, "utf8"))) {
    section += secret ? `Secret files ${a} and ${b} differ (contents not shown)\n` : patch(a, b, old, contents);
  }
  return section;
}

function removal(path: string, current: DiskEntry, secret: boolean): string {
  const a = `a/${path}`;
  if (current.kind !== "file") return `${a} (${describeEntry(current)}) would be deleted\n`;
  if (secret) return `Secret files ${a} and ${NULL} differ (contents not shown)\n`;
  return patch(a, NULL, current.contents.toString("utf8"), "");
}

function patch(oldName: string, newName: string, oldText: string, newText: string): string {
  return createTwoFilesPatch(oldName, newName, oldText, newText, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
}
