/** What every generated shell script shares. */

/** Keepalived runs scripts with a minimal environment: name the usual places explicitly. */
export const SCRIPT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH";
