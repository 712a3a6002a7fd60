/** HAProxy's log date, `25/Nov/2026:02:10:35.123`, in local time like its `%t` and `%tr`. */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/** `dd/Mon/yyyy:HH:MM:SS.mmm` for a Date.now()-style timestamp. */
export function formatLogDate(epochMs: number): string {
  const date = new Date(epochMs);
  const day = `${pad(date.getDate(), 2)}/${MONTHS[date.getMonth()]}/${date.getFullYear()}`;
  const time = `${pad(date.getHours(), 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}.${pad(date.getMilliseconds(), 3)}`;
  return `${day}:${time}`;
}
