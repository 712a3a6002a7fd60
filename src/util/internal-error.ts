/** A bug in halb, not a problem in the user's input: reported as HAL4001. */
export class InternalError extends Error {
  override readonly name = "InternalError";
}

export function assertNever(value: never, what = "value"): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
