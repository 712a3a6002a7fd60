import { listText, pools, proxyLabel, type PoolPair } from "../../queries.js";
import type { SpecRule } from "../../rule.js";
import { rawAddsServers } from "./raw-lines.js";

/**
 * Backup servers only take traffic while no active server is up. A pool whose every enabled
 * server is `backup` has no active server at all: HAProxy falls back to the first backup alone
 * (or to all of them with `option allbackups`), which is rarely what `backup` was written for.
 */
export const onlyBackupServers: SpecRule = {
  meta: {
    id: "HAP006",
    name: "only-backup-servers",
    category: "haproxy",
    severity: "warning",
    summary: "A backend or listen section whose enabled servers are all `backup`.",
  },
  scope: "spec",
  check({ spec, report }) {
    for (const pool of pools(spec)) {
      const enabled = pool.model.servers.filter((s) => !s.disabled);
      if (enabled.length === 0 || enabled.some((s) => !s.backup) || rawAddsServers(pool.model.raw)) continue;
      const names = enabled.map((s) => `\`${s.name.value}\``);
      report({
        span: pool.model.name.span,
        message: `Every enabled server of ${proxyLabel(pool.model)} is \`backup\`, so it has no active server: ${fallback(spec.ir.haproxy.defaults.options, pool, names)}.`,
        notes: [
          ...enabled.map((s) => ({ message: `\`${s.name.value}\` is a backup`, span: s.span })),
          { message: "remove `backup` from the servers that should carry the traffic; keep it for the ones that stand by" },
        ],
      });
    }
  },
};

function fallback(defaultOptions: readonly string[], pool: PoolPair, names: string[]): string {
  if (names.length === 1) return `${names[0]} serves only as a fallback for servers that do not exist`;
  if ([...defaultOptions, ...pool.ir.options].includes("allbackups")) return `${listText(names)} share the traffic as backups (\`option allbackups\`)`;
  return `HAProxy sends everything to the first one, ${names[0]}, and ${listText(names.slice(1))} ${names.length === 2 ? "gets" : "get"} nothing until it fails`;
}
