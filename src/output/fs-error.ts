/** Turning a Node.js file-system error into the `{reason}` of HAL5001/HAL5002: a few words, never a stack. */

export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}

const reasons: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "no such file or folder",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder",
  EEXIST: "it already exists",
  ENOTEMPTY: "the folder is not empty",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "the file system is read-only",
  EXDEV: "it is on a different file system than the staging folder",
  EMFILE: "too many open files",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  EIO: "input/output error",
  EBUSY: "it is busy",
};

export function describeFsError(error: unknown): string {
  if (isFsError(error) && error.code !== undefined) return reasons[error.code] ?? error.code.toLowerCase();
  // Not a file-system error: keep the message (first line only) rather than hide the cause.
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "unknown error";
}

/** A file-system step that failed, with the path the user should look at. */
export class PathError extends Error {
  override readonly name = "PathError";
  constructor(
    readonly path: string,
    readonly reason: unknown,
  ) {
    super(`${path}: ${describeFsError(reason)}`);
  }
}

/** Runs a file-system step; its expected failures (errno errors) carry `path`, anything else (a bug) passes through. */
export async function atPath<T>(path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isFsError(error)) throw new PathError(path, error);
    throw error;
  }
}
