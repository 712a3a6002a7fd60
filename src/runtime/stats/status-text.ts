/**
 * The `status` strings of HAProxy 2.6's statistics page for a server and a backend: `UP`,
 * `UP 1/3` (UP, but failing checks: health-rise+1 of fall), `DOWN`, `DOWN 1/2` (DOWN, passing
 * checks: health of rise), `NOLB`, `DRAIN`, `MAINT`, `no check`.
 */
import type { BackendStatus } from "./backend-status.js";
import type { ServerStatus } from "./server-status.js";

export function serverStatusText(server: ServerStatus): string {
  if (server.maintenance) return "MAINT";
  const check = server.checkEnabled ? server.check : null;
  switch (server.state) {
    case "running": {
      const goingDown = check !== null && check.health < check.maxHealth;
      const progress = check === null ? "" : ` ${check.health - check.rise + 1}/${check.fall}`;
      if (server.drain) return goingDown ? `DRAIN${progress}` : "DRAIN";
      if (goingDown) return `UP${progress}`;
      return check === null ? "no check" : "UP";
    }
    case "stopping":
      if (check === null || check.health === check.maxHealth) return "NOLB";
      return `NOLB ${check.health - check.rise + 1}/${check.fall}`;
    case "stopped":
      if (check === null || check.health === 0) return "DOWN";
      return `DOWN ${check.health}/${check.rise}`;
  }
}

/**
 * `UP` while the usable servers have weight (or there are no servers), else `DOWN`. With `;up` or
 * `;no-maint` HAProxy adds how many servers are neither DOWN nor in maintenance: `UP (2/4)`.
 */
export function backendStatusText(backend: BackendStatus, countServers: boolean): string {
  const base = backend.up ? "UP" : "DOWN";
  if (!countServers) return base;
  const up = backend.servers.filter((server) => !server.isDown()).length;
  return `${base} (${up}/${backend.servers.length})`;
}
