/** Health checks for `halb run`: what the proxy core imports. */
export { type CheckTimeLimits, checkTimeLimits } from "./check-limits.js";
export { type CheckEndpoint } from "./check-socket.js";
export { CHECK_STATUS_DESCRIPTIONS, type CheckResult, type CheckStatus, checkPassed, checkReason } from "./check-status.js";
export { firstCheckDelays } from "./first-check-delays.js";
export { checkedStatsStatus, type HealthCounter, isHealthUp, recordCheck, startingHealth } from "./health-counter.js";
export { type HttpCheckRequest, runHttpCheck } from "./http-check.js";
export {
  type HealthLogLine,
  type HealthLogSeverity,
  healthCheckLine,
  noServerAvailableLine,
  type ServerTrafficFacts,
  type StateChangeLogOptions,
  stateChangeLines,
} from "./messages.js";
export {
  type CheckedState,
  type CheckedTarget,
  type CheckListener,
  type CheckReport,
  type CheckRunner,
  HealthScheduler,
  type HealthSchedulerOptions,
  runCheckOverNetwork,
  type ServerHealthView,
  type ServerState,
  type StateChangeDetails,
  type StateChangeListener,
} from "./scheduler.js";
export { type CheckPlan, type Environment, type HealthTarget, healthTargetsFromIr } from "./targets.js";
export { runTcpCheck } from "./tcp-check.js";
