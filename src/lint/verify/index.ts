/**
 * `halb lint --verify`: write the files of each spec that linted without errors (its IR, as lint
 * compiled it) into a private temporary folder, run the real `haproxy -c` and `keepalived -t` on
 * every node's files, and report each of their messages at the .hal line that produced the
 * offending output line: output line → the IR pointer it was written for (ConfigWriter.from) →
 * the IR's source map → the spec's span.
 * Secrets are replaced by placeholders: nothing secret is written or passed to the daemons.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diag } from "../../diagnostics/create.js";
import { sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import { emitHaproxyConfig } from "../../emit/haproxy/index.js";
import { emitNode } from "../../emit/index.js";
import { emitKeepalivedConfig } from "../../emit/keepalived/index.js";
import { irSecrets, referencedEnv } from "../../ir/secrets.js";
import type { Ir, IrSpan } from "../../ir/types.js";
import type { LintResult } from "../engine.js";
import { specStart } from "../queries.js";
import { isEnvironmentDependent, parseHaproxyOutput, parseKeepalivedOutput, type DaemonMessage } from "./daemon-messages.js";
import { findDaemon, runDaemon } from "./run-daemon.js";

/** 8 characters: Keepalived's auth_pass limit. */
const PLACEHOLDER = "halblint";

export async function verifySpecs(result: LintResult): Promise<LintResult> {
  const findings: Diagnostic[] = [...result.findings];
  const haproxy = findDaemon("haproxy");
  const keepalived = findDaemon("keepalived");
  for (const [daemon, found] of [["haproxy", haproxy], ["keepalived", keepalived]] as const) {
    if (!found) findings.push(diag("HAL6003", undefined, { daemon }));
  }
  // The IRs lint compiled; a spec whose files have errors is not worth handing to the daemons.
  const failedFiles = new Set(result.findings.filter((f) => f.severity === "error").map((f) => f.span?.file));
  for (const spec of result.linted) {
    if (spec.loaded.files.some((f) => failedFiles.has(f.source.name))) continue;
    findings.push(...mergeNodes(await verifyIr(spec.ir, specStart(spec), result.sources, haproxy, keepalived)));
  }
  return { ...result, findings: sortDiagnostics(findings) };
}

/** The nodes' files are alike: one finding per message and place, naming every node that got it. */
function mergeNodes(findings: readonly (Diagnostic & { node: string })[]): Diagnostic[] {
  const merged = new Map<string, { finding: Diagnostic; nodes: string[] }>();
  for (const { node, ...finding } of findings) {
    const key = `${finding.code}|${finding.span?.file}|${finding.span?.start.line}|${finding.message.replace(`(${node}:`, "(")}`;
    const entry = merged.get(key);
    if (entry) entry.nodes.push(node);
    else merged.set(key, { finding, nodes: [node] });
  }
  return [...merged.values()].map(({ finding, nodes }) => ({ ...finding, message: finding.message.replace(`(${nodes[0]}:`, `(${nodes.join(", ")}:`) }));
}

async function verifyIr(compiledIr: Ir, specStart: Span, sources: LintResult["sources"], haproxy: string | undefined, keepalived: string | undefined): Promise<(Diagnostic & { node: string })[]> {
  const dir = mkdtempSync(join(tmpdir(), "halb-verify-"));
  const findings: (Diagnostic & { node: string })[] = [];
  try {
    const env = placeholderEnv(compiledIr);
    for (const node of compiledIr.cluster.nodes) {
      const nodeDir = join(dir, node.name);
      // keepalived -t checks that the scripts exist: point the node's scripts at this folder.
      const ir: Ir = { ...compiledIr, cluster: { ...compiledIr.cluster, scriptsDir: nodeDir } };
      mkdirSync(nodeDir, { mode: 0o700 });
      for (const file of emitNode(ir, node.name, env)) writeFileSync(join(dir, file.path), file.contents, { mode: file.mode & 0o700 });
      const map = (messages: DaemonMessage[], origins: readonly (string | undefined)[], code: "HAL6001" | "HAL6002") =>
        messages.map((m) => ({ ...toFinding(ir, { ...m, text: m.text.split(`${dir}/`).join("") }, origins, code, node.name, specStart, sources), node: node.name }));
      if (haproxy) {
        const { output } = await runDaemon(haproxy, ["-c", "-f", join(nodeDir, "haproxy.cfg")], Object.fromEntries(env));
        findings.push(...map(parseHaproxyOutput(output), emitHaproxyConfig(ir, node).origins, "HAL6001"));
      }
      if (keepalived) {
        const { output } = await runDaemon(keepalived, ["-t", "-f", join(nodeDir, "keepalived.conf")], {});
        findings.push(...map(parseKeepalivedOutput(output), emitKeepalivedConfig(ir, node, env).origins, "HAL6002"));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return findings;
}

/** Secrets get the placeholder; other env text (users, paths) its real value when set, so lookups are real. */
function placeholderEnv(ir: Ir): Map<string, string> {
  const secret = new Set(irSecrets(ir).flatMap((s) => ("env" in s ? [s.env] : [])));
  return new Map(referencedEnv(ir).map((name) => [name, secret.has(name) ? PLACEHOLDER : (process.env[name] ?? PLACEHOLDER)]));
}

function toFinding(ir: Ir, message: DaemonMessage, origins: readonly (string | undefined)[], code: "HAL6001" | "HAL6002", node: string, specStart: Span, sources: LintResult["sources"]): Diagnostic {
  const pointer = message.line !== undefined ? origins[message.line - 1] : pointerOfSubject(ir, message.subject);
  const span = pointer ? spanOf(ir, pointer, sources) : undefined;
  const finding = diag(code, span ?? specStart, { node, line: message.line ?? "?", message: message.text });
  const severity = isEnvironmentDependent(message.text) ? "info" : message.severity;
  return { ...finding, severity };
}

/** The nearest pointer, walking up, that the source map knows. */
function spanOf(ir: Ir, pointer: string, sources: LintResult["sources"]): Span | undefined {
  for (let p = pointer; p !== ""; p = p.slice(0, p.lastIndexOf("/"))) {
    const span = ir.sourceMap[p];
    if (span) return toSpan(span, sources);
  }
  return undefined;
}

function pointerOfSubject(ir: Ir, subject: string | undefined): string | undefined {
  if (!subject) return undefined;
  const name = subject.split("/")[0];
  for (const kind of ["frontends", "listens", "backends"] as const) {
    const index = ir.haproxy[kind].findIndex((p) => p.name === name);
    if (index >= 0) return `/haproxy/${kind}/${index}`;
  }
  const track = ir.cluster.tracks.findIndex((t) => t.script === subject);
  if (track >= 0) return `/cluster/tracks/${track}`;
  return subject === ir.cluster.name ? "/cluster" : undefined;
}

/** The source map keeps lines and columns; the offsets (for sorting) come from the file's text. */
function toSpan(span: IrSpan, sources: LintResult["sources"]): Span {
  const offset = (line: number, column: number) => (sources.get(span.file)?.lineStarts[line - 1] ?? 0) + column - 1;
  return {
    file: span.file,
    start: { offset: offset(span.line, span.column), line: span.line, column: span.column },
    end: { offset: offset(span.endLine, span.endColumn), line: span.endLine, column: span.endColumn },
  };
}
