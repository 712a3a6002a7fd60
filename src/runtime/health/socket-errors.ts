/**
 * HAProxy quotes the C library's strerror() text in its check messages (`info: "Connection
 * refused"`); Node only gives the errno name. These are glibc's texts for the errors a check meets.
 */
const STRERROR: Readonly<Record<string, string>> = {
  ECONNREFUSED: "Connection refused",
  ECONNRESET: "Connection reset by peer",
  ECONNABORTED: "Software caused connection abort",
  EHOSTUNREACH: "No route to host",
  ENETUNREACH: "Network is unreachable",
  ENETDOWN: "Network is down",
  EHOSTDOWN: "Host is down",
  ETIMEDOUT: "Connection timed out",
  EPIPE: "Broken pipe",
  EADDRNOTAVAIL: "Cannot assign requested address",
  EADDRINUSE: "Address already in use",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EMFILE: "Too many open files",
  ENFILE: "Too many open files in system",
  ENOBUFS: "No buffer space available",
};

/** The strerror() text for a Node socket error, else its errno name, else its message. */
export function systemErrorText(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error.message;
  return STRERROR[code] ?? code;
}
