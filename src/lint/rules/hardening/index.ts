import type { AnyRule } from "../../rule.js";
import { adminSocketLevelAdmin } from "./admin-socket-level-admin.js";
import { bindConflict } from "./bind-conflict.js";
import { cookieWithoutNocache } from "./cookie-without-nocache.js";
import { duplicateServerAddress } from "./duplicate-server-address.js";
import { maxconnAboveGlobal } from "./maxconn-above-global.js";
import { noChroot } from "./no-chroot.js";
import { noGlobalMaxconn } from "./no-global-maxconn.js";
import { noLogging } from "./no-logging.js";
import { noRedispatch } from "./no-redispatch.js";
import { plainHttpToTlsPort } from "./plain-http-to-tls-port.js";
import { runsAsRoot } from "./runs-as-root.js";
import { serverPointsAtVip } from "./server-points-at-vip.js";
import { serverWeightZero } from "./server-weight-zero.js";
import { statsAdminExposed } from "./stats-admin-exposed.js";
import { statsPasswordInSpec } from "./stats-password-in-spec.js";
import { statsVersionVisible } from "./stats-version-visible.js";
import { statsWeakPassword } from "./stats-weak-password.js";
import { statsWithoutAuth } from "./stats-without-auth.js";
import { targetVersionUnset } from "./target-version-unset.js";

/** HAProxy-side exposure and hardening rules (HAP020…), in id order. */
export const hardeningRules: readonly AnyRule[] = [
  statsWithoutAuth,
  statsWeakPassword,
  statsPasswordInSpec,
  statsAdminExposed,
  statsVersionVisible,
  noGlobalMaxconn,
  runsAsRoot,
  noChroot,
  noLogging,
  maxconnAboveGlobal,
  serverWeightZero,
  duplicateServerAddress,
  serverPointsAtVip,
  bindConflict,
  cookieWithoutNocache,
  plainHttpToTlsPort,
  noRedispatch,
  targetVersionUnset,
  adminSocketLevelAdmin,
];
