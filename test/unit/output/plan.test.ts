import { describe, expect, it } from "vitest";
import { InternalError } from "../../../src/util/internal-error.js";
import { HALB_VERSION } from "../../../src/version.js";
import { MANIFEST_PATH, parseManifest, planOutput, sha256 } from "../../../src/output/index.js";
import { sampleFiles } from "./helpers.js";

const meta = { specName: "site.hal", specSha256: "b".repeat(64) };

describe("sha256", () => {
  it("matches the known digest of the empty string and hashes strings as UTF-8", () => {
    expect(sha256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256("é")).toBe(sha256(Buffer.from("é", "utf8")));
  });
});

describe("planOutput", () => {
  it("sorts the files and adds a stable manifest", () => {
    const files = sampleFiles();
    const bundle = planOutput([...files].reverse(), meta);
    expect(bundle.files.map((f) => f.path)).toEqual([...files.map((f) => f.path)].sort());
    expect(bundle.manifest.path).toBe(MANIFEST_PATH);
    const text = bundle.manifest.contents;
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).not.toContain("\r");
    expect(text).toBe(planOutput(files, meta).manifest.contents);
    const json = JSON.parse(text) as { format: number; halb: string; spec: unknown; files: Array<{ path: string; sha256: string; mode: string }> };
    expect(json.format).toBe(1);
    expect(json.halb).toBe(HALB_VERSION);
    expect(json.spec).toEqual({ name: "site.hal", sha256: "b".repeat(64) });
    expect(json.files.map((f) => f.path)).toEqual(bundle.files.map((f) => f.path));
    const ka = json.files.find((f) => f.path === "lb1/keepalived.conf");
    expect(ka).toEqual({ path: "lb1/keepalived.conf", sha256: sha256(files[2]!.contents), mode: "0600" });
    expect(json.files.find((f) => f.path === "lb1/check_haproxy.sh")?.mode).toBe("0755");
    expect(text).toContain('\n  "files": [\n    {\n      "path": "ir.json",');
  });

  it("makes the manifest private when it lists a private file, public otherwise", () => {
    expect(planOutput(sampleFiles(), meta).manifest.mode).toBe(0o600);
    const publicOnly = sampleFiles().filter((f) => f.mode !== 0o600);
    expect(planOutput(publicOnly, meta).manifest.mode).toBe(0o644);
  });

  it.each(["/etc/passwd", "../x", "a/../b", "a//b", "./a", "a\\b", "", "manifest.json"])("refuses the path %j as an emitter bug", (path) => {
    expect(() => planOutput([{ path, contents: "", mode: 0o644 }], meta)).toThrow(InternalError);
  });

  it("refuses duplicates, a file used as a folder, and modes outside 0o777", () => {
    const f = { path: "a", contents: "", mode: 0o644 };
    expect(() => planOutput([f, f], meta)).toThrow(/twice/);
    expect(() => planOutput([f, { ...f, path: "a/b" }], meta)).toThrow(/folder/);
    expect(() => planOutput([{ ...f, mode: 0o4755 }], meta)).toThrow(/mode/);
  });
});

describe("parseManifest", () => {
  it("reads back what planOutput writes", () => {
    const bundle = planOutput(sampleFiles(), meta);
    const parsed = parseManifest(bundle.manifest.contents);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.manifest.files.map((f) => f.mode)).toContain(0o600);
  });

  it.each([
    ["not JSON", "{"],
    ["another format", '{"format":2,"halb":"1","spec":{"name":"x","sha256":"y"},"files":[]}'],
    ["a path escaping OUT", `{"format":1,"halb":"1","spec":{"name":"x","sha256":"y"},"files":[{"path":"../etc/passwd","sha256":"${"0".repeat(64)}","mode":"0644"}]}`],
    ["a bad mode", `{"format":1,"halb":"1","spec":{"name":"x","sha256":"y"},"files":[{"path":"a","sha256":"${"0".repeat(64)}","mode":"644"}]}`],
    ["a bad hash", '{"format":1,"halb":"1","spec":{"name":"x","sha256":"y"},"files":[{"path":"a","sha256":"xyz","mode":"0644"}]}'],
  ])("refuses %s", (_what, text) => {
    expect(parseManifest(text).ok).toBe(false);
  });
});
