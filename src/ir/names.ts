/** Names halb gives to things the spec does not name. */

/** The HAProxy `listen` section that serves the statistics page. */
export const STATS_SECTION_NAME = "stats";

/** The vrrp_script that checks HAProxy. */
export const HAPROXY_TRACK_SCRIPT = "chk_haproxy";

/** Where scripts are installed on a node unless the spec says `scripts DIR`. */
export const DEFAULT_SCRIPTS_DIR = "/etc/keepalived";
