import type { SpecRule } from "../../rule.js";

/**
 * halb writes `enable_script_security` and runs the scripts as root, so Keepalived checks that no
 * part of a script's path is writable by another user and that the file is root's, and it
 * silently drops any script that fails the check or is missing at start-up. Some folders fail one
 * way or the other on every Linux host.
 */
export const scriptsDirInsecure: SpecRule = {
  meta: {
    id: "KA012",
    name: "scripts-dir-insecure",
    category: "keepalived",
    severity: "error",
    summary: "`scripts DIR` in a world-writable, user-owned or emptied-at-boot folder, where Keepalived drops the scripts.",
  },
  scope: "spec",
  check({ spec, report }) {
    const dir = spec.model.cluster!.scriptsDir;
    const { tracks, notify } = spec.ir.cluster;
    if (!dir || (tracks.length === 0 && notify.exec.length === 0)) return;
    const place = PLACES.find((p) => p.matches(dir.value));
    if (!place) return;
    const lost = [tracks.length > 0 ? "the HAProxy check (so HAProxy's death no longer moves the VIPs)" : "", notify.exec.length > 0 ? "notify.sh" : ""].filter(Boolean).join(" and ");
    report({
      span: dir.span,
      message: `The scripts go to \`${dir.value}\`, ${place.why}; Keepalived then silently disables ${lost}.`,
      notes: [{ message: "install the scripts in a folder owned by root and writable only by root, such as the default `/etc/keepalived` or `/usr/local/libexec/keepalived`" }],
    });
  },
};

interface Place {
  readonly matches: (dir: string) => boolean;
  readonly why: string;
}

const under = (...roots: string[]) => (dir: string) => roots.some((root) => dir === root || dir.startsWith(`${root}/`));

const PLACES: readonly Place[] = [
  {
    matches: under("/tmp", "/dev/shm", "/run/shm"),
    why: "a world-writable folder emptied at boot, so the scripts vanish at the next reboot, and any local user can create the folder or the scripts first, owned by them, which script security refuses",
  },
  {
    matches: under("/var/tmp", "/run/lock", "/var/lock"),
    why: "a world-writable folder where any local user can create the folder or the scripts first, owned by them, which script security refuses",
  },
  { matches: under("/run", "/var/run"), why: "a folder emptied at every boot, so the scripts vanish at the next reboot" },
  {
    matches: (dir) => dir.startsWith("/home/"),
    why: "inside a user's home folder, a path that user owns and script security therefore refuses",
  },
];
