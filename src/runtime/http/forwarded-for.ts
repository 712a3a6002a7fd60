/**
 * `option forwardfor`: HAProxy appends one `x-forwarded-for: <client address>` line after the
 * request's headers, keeping any the client sent (servers must read the last one). The address is
 * printed like inet_ntop prints the socket's: dotted quad for an IPv4 socket, RFC 5952 text without
 * brackets, port or zone for an IPv6 one. An IPv4 client on a dual-stack `::` listener is an IPv6
 * socket to both HAProxy and Node, so both write `::ffff:1.2.3.4` (measured on 2.6.12); Node's
 * remoteAddress is therefore used as it is.
 */

export const FORWARDED_FOR_HEADER = "x-forwarded-for";

export interface ForwardedForOptions {
  /** `header <name>`: the header to write instead, sent lower-case like every name. */
  readonly header?: string | undefined;
  /** `if-none`: add nothing when the request already has that header. */
  readonly ifNone?: boolean | undefined;
  /** `except <network>`: add nothing for these client addresses. */
  readonly except?: ((clientAddress: string) => boolean) | undefined;
  /**
   * Write an IPv4-mapped address (`::ffff:1.2.3.4`) as `1.2.3.4`. HAProxy does not; only for a
   * listener that HAProxy would have opened as IPv4 but the caller opened dual-stack.
   */
  readonly unmapIpv4?: boolean | undefined;
}

const IPV4_MAPPED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/** The address as HAProxy writes it: without an IPv6 zone (`%eth0`), which inet_ntop never prints. */
export function forwardedForValue(clientAddress: string, unmapIpv4 = false): string {
  const zone = clientAddress.indexOf("%");
  const address = zone < 0 ? clientAddress : clientAddress.slice(0, zone);
  const mapped = unmapIpv4 ? IPV4_MAPPED.exec(address) : null;
  return mapped === null ? address : mapped[1]!;
}

/** The request headers with the forwarded-for line appended, in a new array (the input is left alone). */
export function forwardedFor(headers: readonly string[], clientAddress: string, options?: ForwardedForOptions): string[] {
  const name = options?.header === undefined ? FORWARDED_FOR_HEADER : options.header.toLowerCase();
  if (options?.ifNone === true && hasHeader(headers, name)) return headers.slice();
  if (options?.except?.(clientAddress) === true) return headers.slice();
  return headers.concat(name, forwardedForValue(clientAddress, options?.unmapIpv4 === true));
}

function hasHeader(headers: readonly string[], name: string): boolean {
  for (let index = 0; index < headers.length; index += 2) if (headers[index] === name) return true;
  return false;
}
