import type { AnyRule } from "../../rule.js";
import { allServersDisabled } from "./all-servers-disabled.js";
import { backendWithoutRedundancy } from "./backend-without-redundancy.js";
import { backendWithoutServers } from "./backend-without-servers.js";
import { balanceFirstWithoutMaxconn } from "./balance-first-without-maxconn.js";
import { catchAllRoute } from "./catch-all-route.js";
import { deprecatedKeyword } from "./deprecated-keyword.js";
import { frontendWithoutBackend } from "./frontend-without-backend.js";
import { hostRouteSingleLabel } from "./host-route-single-label.js";
import { implicitTimeouts } from "./implicit-timeouts.js";
import { noDefaultRoute } from "./no-default-route.js";
import { noHttpRequestTimeout } from "./no-http-request-timeout.js";
import { onlyBackupServers } from "./only-backup-servers.js";
import { pathPrefixWithoutSlash } from "./path-prefix-without-slash.js";
import { rawNotExecutable } from "./raw-not-executable.js";
import { serverWithoutHealthCheck } from "./server-without-health-check.js";
import { shadowedRoute } from "./shadowed-route.js";
import { slowFailureDetection } from "./slow-failure-detection.js";
import { timeoutOutOfRange } from "./timeout-out-of-range.js";
import { unusedBackend } from "./unused-backend.js";

/** HAProxy-side rules (HAPnnn), in id order. */
export const haproxyRules: readonly AnyRule[] = [
  unusedBackend,
  backendWithoutServers,
  serverWithoutHealthCheck,
  backendWithoutRedundancy,
  allServersDisabled,
  onlyBackupServers,
  shadowedRoute,
  catchAllRoute,
  frontendWithoutBackend,
  noDefaultRoute,
  hostRouteSingleLabel,
  pathPrefixWithoutSlash,
  rawNotExecutable,
  deprecatedKeyword,
  implicitTimeouts,
  noHttpRequestTimeout,
  timeoutOutOfRange,
  slowFailureDetection,
  balanceFirstWithoutMaxconn,
];
