/**
 * The statistics section of the IR made ready to serve: the URI and realm resolved from the
 * environment where the spec took them from there, the users turned into digests.
 */
import type { IrStats } from "../../ir/types.js";
import { type EnvResolver, StatsAuth } from "./auth.js";

/** HAProxy's default `stats uri`, used when the spec's comes from an unset environment variable. */
export const DEFAULT_STATS_URI = "/haproxy?stats";

export interface StatsSettings {
  /** The `listen` section's name. */
  readonly name: string;
  /** Every request URI starting with this is the statistics page. */
  readonly uri: string;
  readonly auth: StatsAuth;
  /** `stats refresh`, in whole seconds as HAProxy sends it (rounded up); null for none. */
  readonly refreshSeconds: number | null;
  readonly hideVersion: boolean;
  readonly admin: boolean;
  /** Shown in the page's title: the cluster and this node. */
  readonly clusterName: string;
  readonly nodeName: string;
}

export interface ResolvedStatsSettings {
  readonly settings: StatsSettings;
  /** What could not be resolved, for the core to log; never holds a secret. */
  readonly problems: readonly string[];
}

export function resolveStatsSettings(
  stats: IrStats,
  context: { readonly clusterName: string; readonly nodeName: string; readonly resolveEnv: EnvResolver },
): ResolvedStatsSettings {
  const { auth, problems } = StatsAuth.fromIr(stats.auth, stats.realm, context.resolveEnv);
  let uri: string;
  if (typeof stats.uri === "string") {
    uri = stats.uri;
  } else {
    const fromEnv = context.resolveEnv(stats.uri.env);
    if (fromEnv === undefined || fromEnv === "") problems.push(`stats uri: environment variable ${stats.uri.env} is not set, using ${DEFAULT_STATS_URI}`);
    uri = fromEnv || DEFAULT_STATS_URI;
  }
  return {
    settings: {
      name: stats.name,
      uri,
      auth,
      refreshSeconds: stats.refreshMs === undefined ? null : Math.max(1, Math.ceil(stats.refreshMs / 1000)),
      hideVersion: stats.hideVersion,
      admin: stats.admin,
      clusterName: context.clusterName,
      nodeName: context.nodeName,
    },
    problems,
  };
}
