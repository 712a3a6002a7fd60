import type { AnyRule } from "../../rule.js";
import { advertIntervalSlow } from "./advert-interval-slow.js";
import { duplicateTrack } from "./duplicate-track.js";
import { excludedVips } from "./excluded-vips.js";
import { interfaceLoopback } from "./interface-loopback.js";
import { multicastAdverts } from "./multicast-adverts.js";
import { noNotification } from "./no-notification.js";
import { notifyExecNotAbsolute } from "./notify-exec-not-absolute.js";
import { reservedAddress } from "./reserved-address.js";
import { scriptsDirInsecure } from "./scripts-dir-insecure.js";
import { tooManyVips } from "./too-many-vips.js";
import { trackDetectionSlow } from "./track-detection-slow.js";
import { trackFallOne } from "./track-fall-one.js";
import { trackTimeoutExceedsInterval } from "./track-timeout-exceeds-interval.js";
import { vipDevDiffers } from "./vip-dev-differs.js";
import { vipNetworkOrBroadcast } from "./vip-network-or-broadcast.js";
import { vridSampleDefault } from "./vrid-sample-default.js";
import { vrrpAuthCleartext } from "./vrrp-auth-cleartext.js";
import { vrrpPasswordInSpec } from "./vrrp-password-in-spec.js";

/** Keepalived-side rules (KAnnn), in id order. */
export const keepalivedRules: readonly AnyRule[] = [
  vrrpPasswordInSpec,
  vrrpAuthCleartext,
  advertIntervalSlow,
  trackDetectionSlow,
  trackTimeoutExceedsInterval,
  trackFallOne,
  duplicateTrack,
  vipNetworkOrBroadcast,
  reservedAddress,
  interfaceLoopback,
  notifyExecNotAbsolute,
  scriptsDirInsecure,
  noNotification,
  vridSampleDefault,
  vipDevDiffers,
  multicastAdverts,
  excludedVips,
  tooManyVips,
];
