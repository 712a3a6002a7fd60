/** HAProxy keywords that a target version refuses, with what to write instead. */
import type { HaproxyVersion } from "../ir/types.js";

interface Removal {
  readonly removedIn: HaproxyVersion | "1.6" | "2.1" | "2.5" | "2.7";
  readonly replacement: string;
}

const removals: Readonly<Record<string, Removal>> = {
  nbproc: { removedIn: "2.5", replacement: "threads are used automatically; write `threads N` in `global`" },
  "bind-process": { removedIn: "2.7", replacement: "remove it; threads are used automatically" },
  process: { removedIn: "2.7", replacement: "remove it; threads are used automatically" },
  block: { removedIn: "2.1", replacement: "use `http-request deny` in a `raw` line" },
  redisp: { removedIn: "2.1", replacement: "use `option redispatch`" },
  clitimeout: { removedIn: "2.1", replacement: "use `timeout client`" },
  srvtimeout: { removedIn: "2.1", replacement: "use `timeout server`" },
  contimeout: { removedIn: "2.1", replacement: "use `timeout connect`" },
  appsession: { removedIn: "1.6", replacement: "use `cookie`" },
  reqadd: { removedIn: "2.1", replacement: "use `http-request add-header`" },
  reqrep: { removedIn: "2.1", replacement: "use `http-request replace-header`" },
  reqdel: { removedIn: "2.1", replacement: "use `http-request del-header`" },
  rspadd: { removedIn: "2.1", replacement: "use `http-response add-header`" },
  rsprep: { removedIn: "2.1", replacement: "use `http-response replace-header`" },
  rspdel: { removedIn: "2.1", replacement: "use `http-response del-header`" },
};

function versionNumber(version: string): number {
  const [major, minor] = version.split(".").map(Number);
  return (major ?? 0) * 100 + (minor ?? 0);
}

/** The HAL2009 data when `keyword` no longer exists in `target`, else undefined. */
export function removedKeyword(keyword: string, target: HaproxyVersion): Record<string, string> | undefined {
  const removal = Object.hasOwn(removals, keyword) ? removals[keyword] : undefined;
  if (!removal || versionNumber(target) < versionNumber(removal.removedIn)) return undefined;
  return { keyword: `\`${keyword}\``, removedIn: removal.removedIn, target, replacement: ` ${capitalise(removal.replacement)}.` };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
