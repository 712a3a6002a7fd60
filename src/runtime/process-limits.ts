/** The process's open-file limit, which bounds its connections (HAProxy derives maxconn from it too). */
import { readFileSync } from "node:fs";

const FALLBACK_LIMIT = 1024;

export function getrlimit(): number {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    const value = soft === undefined || soft === "unlimited" ? NaN : Number(soft);
    return Number.isFinite(value) ? value : FALLBACK_LIMIT;
  } catch {
    return FALLBACK_LIMIT;
  }
}
