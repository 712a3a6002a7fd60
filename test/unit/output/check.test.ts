import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkBundle, writeBundle } from "../../../src/output/index.js";
import { makeRoot, removeRoots, sampleBundle, SECRET, tree } from "./helpers.js";

afterEach(removeRoots);

describe("checkBundle", () => {
  it("says up to date, with an empty diff, right after a write; and writes nothing", async () => {
    const { root, out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    const before = await tree(root, true);
    expect(await checkBundle(out, sampleBundle())).toEqual({ upToDate: true, diff: "", diagnostics: [] });
    expect(await tree(root, true)).toEqual(before);
  });

  it("prints a unified diff with a/ and b/ headers for a changed file, and HAL5004 per path", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle({ nodes: ["lb1"] }));
    const result = await checkBundle(out, sampleBundle({ nodes: ["lb1"], haproxy: "global\n  daemon\n  maxconn 10\n" }));
    expect(result.upToDate).toBe(false);
    expect(result.diff).toContain(
      ["--- a/lb1/haproxy.cfg", "+++ b/lb1/haproxy.cfg", "@@ -1,3 +1,3 @@", " global", "   daemon", "-# lb1", "+  maxconn 10", ""].join("\n"),
    );
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["HAL5004", `${join(out, "lb1/haproxy.cfg")} is not what the spec compiles to.`],
      ["HAL5004", `${join(out, "manifest.json")} is not what the spec compiles to.`],
    ]);
  });

  it("shows missing files against /dev/null, and files that would be deleted", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle({ nodes: ["lb1", "lb3"] }));
    await rm(join(out, "ir.json"));
    const result = await checkBundle(out, sampleBundle({ nodes: ["lb1"] }));
    expect(result.diff).toContain("--- /dev/null\n+++ b/ir.json\n@@ -0,0 +1,3 @@\n+{\n");
    expect(result.diff).toContain("--- a/lb3/haproxy.cfg\n+++ /dev/null\n");
    expect(result.diff).toContain("Secret files a/lb3/keepalived.conf and /dev/null differ (contents not shown)\n");
  });

  it("reports everything as missing when OUT does not exist", async () => {
    const { out } = await makeRoot();
    const bundle = sampleBundle();
    const result = await checkBundle(out, bundle);
    expect(result.upToDate).toBe(false);
    expect(result.diagnostics).toHaveLength(bundle.files.length + 1);
    expect(result.diff).toContain("Secret files /dev/null and b/lb1/keepalived.conf differ (contents not shown)\n");
  });

  it("never prints the contents of a private file, nor of the private manifest", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle({ secret: "oldpass1" }));
    const result = await checkBundle(out, sampleBundle({ secret: SECRET, haproxy: "changed\n" }));
    expect(result.diff).toContain("Secret files a/lb1/keepalived.conf and b/lb1/keepalived.conf differ (contents not shown)\n");
    expect(result.diff).toContain("Secret files a/manifest.json and b/manifest.json differ (contents not shown)\n");
    expect(result.diff).toContain("+++ b/lb1/haproxy.cfg");
    expect(result.diff).not.toContain(SECRET);
    expect(result.diff).not.toContain("oldpass1");
    expect(result.diff).not.toContain("auth_pass");
    expect(result.diff).not.toMatch(/[0-9a-f]{64}/);
  });

  it("keeps a secret hidden even when its file on disk was made world-readable", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle({ secret: "oldpass1" }));
    await chmod(join(out, "lb1/keepalived.conf"), 0o644);
    const result = await checkBundle(out, sampleBundle({ secret: SECRET }));
    expect(result.diff).toContain("Mode of lb1/keepalived.conf differs: 0644 in OUT, 0600 expected\n");
    expect(result.diff).not.toContain(SECRET);
    expect(result.diff).not.toContain("oldpass1");
  });

  it("reports a mode difference alone", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle({ nodes: ["lb1"] }));
    await chmod(join(out, "lb1/check_haproxy.sh"), 0o644);
    const result = await checkBundle(out, sampleBundle({ nodes: ["lb1"] }));
    expect(result.diff).toBe("Mode of lb1/check_haproxy.sh differs: 0644 in OUT, 0755 expected\n");
    expect(result.diagnostics.map((d) => d.code)).toEqual(["HAL5004"]);
  });

  it("ignores files in OUT that halb never wrote", async () => {
    const { out } = await makeRoot();
    await writeBundle(out, sampleBundle());
    await writeFile(join(out, "notes.txt"), "mine\n");
    expect((await checkBundle(out, sampleBundle())).upToDate).toBe(true);
    expect(await readFile(join(out, "notes.txt"), "utf8")).toBe("mine\n");
  });
});
