/**
 * VRRPv2 advertisements on the wire, byte for byte as Keepalived 2.2 builds and checks them, so a
 * raw-socket transport can talk to real keepalived nodes (research/runtime-semantics.md §2.12-2.13).
 *
 * - Layout: RFC 3768 §5.1 (version 2, type 1 ADVERTISEMENT, VRID, priority, count, auth type,
 *   advert interval in whole seconds, checksum, IPv4 VIPs, 8 bytes of authentication data).
 *   Authentication type 1 (PASS, from RFC 2338) carries the password NUL-padded and truncated to
 *   8 bytes, as Keepalived does (vrrp_parser.c); RFC 3768 itself removed authentication.
 * - Checksum: the Internet checksum of the VRRP message alone, without a pseudo-header (v2 only;
 *   v3 adds one) (Keepalived vrrp.c vrrp_build_vrrp_v2 / in_csum).
 * - IPv4 header: Keepalived writes its own (IP_HDRINCL, vrrp.c vrrp_build_ip4): TOS 0xC0
 *   (network control), id 0, no fragmentation, TTL 255, protocol 112.
 * - Receive checks: Keepalived's vrrp_check_packet, in its order and with its log messages
 *   (without the leading "(instance) "). `checkAdvert` covers the VRRP message, `checkIpv4Advert`
 *   a whole datagram as a raw IPv4 socket delivers it (IP header first), adding the IP-level checks.
 */
import { timingSafeEqual } from "node:crypto";
import { isIPv4 } from "node:net";

export const VRRP_VERSION = 2;
export const VRRP_TYPE_ADVERTISEMENT = 1;
/** IP protocol number of VRRP. */
export const VRRP_PROTOCOL = 112;
/** IP protocol number of IPsec AH, which Keepalived's `auth_type AH` wraps adverts in. */
export const AH_PROTOCOL = 51;
export const VRRP_MULTICAST_GROUP = "224.0.0.18";
export const VRRP_TTL = 255;
/** Internetwork control precedence. */
export const VRRP_TOS = 0xc0;
/** A master that is stopping advertises priority 0 so a backup takes over after its skew time. */
export const PRIORITY_STOP = 0;
/** The address owner: no tracking, no waiting at startup. */
export const PRIORITY_OWNER = 255;

export const AUTH_TYPE_NONE = 0;
export const AUTH_TYPE_PASS = 1;
export const AUTH_TYPE_AH = 2;
/** Bytes of authentication data at the end of every VRRPv2 advert. */
export const AUTH_DATA_LENGTH = 8;
/** Version/type, VRID, priority, count, auth type, interval, checksum. */
const FIXED_HEADER_LENGTH = 8;
const IPV4_HEADER_LENGTH = 20;

/** How adverts are authenticated: nothing, or Keepalived's `auth_type PASS`. */
export type VrrpAuth = { readonly type: "none" } | { readonly type: "pass"; readonly password: string };

/** What an advert says, as read from the wire (nothing checked yet). */
export interface VrrpAdvert {
  readonly version: number;
  readonly type: number;
  readonly vrid: number;
  readonly priority: number;
  /** The count field; `addresses` holds as many as the bytes allow. */
  readonly count: number;
  readonly authType: number;
  readonly advertIntervalSec: number;
  readonly checksum: number;
  readonly addresses: readonly string[];
  /** The trailing 8 bytes (fewer if the packet is short). */
  readonly authData: Buffer;
}

/** What a node puts in the adverts it sends. */
export interface AdvertFields {
  readonly vrid: number;
  readonly priority: number;
  readonly advertIntervalSec: number;
  /** The IPv4 VIPs, in configuration order. */
  readonly addresses: readonly string[];
  readonly auth: VrrpAuth;
}

/** What a node requires of the adverts it receives: its own VRID, interval, auth and VIP list. */
export interface AdvertExpectations {
  readonly vrid: number;
  readonly advertIntervalSec: number;
  readonly auth: VrrpAuth;
  readonly addresses: readonly string[];
}

export type AdvertCheck = { readonly ok: true; readonly advert: VrrpAdvert } | { readonly ok: false; readonly reason: string };

// ── Checksum and addresses ───────────────────────────────────────────────────

/**
 * The Internet checksum (RFC 1071): one's complement of the one's-complement sum of the 16-bit
 * big-endian words, an odd last byte padded with zero. Over a message whose checksum field is
 * filled in, it is 0 when the message is intact.
 */
export function internetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (bytes.length % 2 === 1) sum += bytes[bytes.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** `192.168.1.100` → its 4 bytes in network order. */
export function ipv4Bytes(address: string): Buffer {
  if (!isIPv4(address)) throw new RangeError(`not an IPv4 address: ${JSON.stringify(address)}`);
  return Buffer.from(address.split(".").map(Number));
}

function ipv4Text(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** The 8 bytes of authentication data: the PASS password's UTF-8 bytes, truncated to 8 and NUL-padded; zeros otherwise. */
export function authData(auth: VrrpAuth): Buffer {
  const data = Buffer.alloc(AUTH_DATA_LENGTH);
  if (auth.type === "pass") Buffer.from(auth.password, "utf8").copy(data, 0, 0, AUTH_DATA_LENGTH);
  return data;
}

function authTypeNumber(auth: VrrpAuth): number {
  return auth.type === "pass" ? AUTH_TYPE_PASS : AUTH_TYPE_NONE;
}

// ── Advertisement ────────────────────────────────────────────────────────────

/** The VRRPv2 advertisement, checksum included (20 bytes for one VIP). */
export function encodeAdvert(fields: AdvertFields): Buffer {
  const { vrid, priority, advertIntervalSec, addresses } = fields;
  checkByte("VRID", vrid, 1, 255);
  checkByte("priority", priority, 0, 255);
  checkByte("advert interval", advertIntervalSec, 1, 255);
  checkByte("VIP count", addresses.length, 0, 255);
  const packet = Buffer.alloc(FIXED_HEADER_LENGTH + 4 * addresses.length + AUTH_DATA_LENGTH);
  packet[0] = (VRRP_VERSION << 4) | VRRP_TYPE_ADVERTISEMENT;
  packet[1] = vrid;
  packet[2] = priority;
  packet[3] = addresses.length;
  packet[4] = authTypeNumber(fields.auth);
  packet[5] = advertIntervalSec;
  addresses.forEach((address, i) => ipv4Bytes(address).copy(packet, FIXED_HEADER_LENGTH + 4 * i));
  authData(fields.auth).copy(packet, FIXED_HEADER_LENGTH + 4 * addresses.length);
  packet.writeUInt16BE(internetChecksum(packet), 6);
  return packet;
}

/** Reads the fields of a VRRP message without judging them; null when shorter than the fixed header. */
export function decodeAdvert(packet: Uint8Array): VrrpAdvert | null {
  if (packet.length < FIXED_HEADER_LENGTH) return null;
  const bytes = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  const count = bytes[3]!;
  const fitting = Math.min(count, Math.floor((bytes.length - FIXED_HEADER_LENGTH) / 4));
  const addresses = Array.from({ length: fitting }, (_, i) => ipv4Text(bytes, FIXED_HEADER_LENGTH + 4 * i));
  const authStart = FIXED_HEADER_LENGTH + 4 * count;
  return {
    version: bytes[0]! >> 4,
    type: bytes[0]! & 0x0f,
    vrid: bytes[1]!,
    priority: bytes[2]!,
    count,
    authType: bytes[4]!,
    advertIntervalSec: bytes[5]!,
    checksum: bytes.readUInt16BE(6),
    addresses,
    authData: Buffer.from(bytes.subarray(Math.min(authStart, bytes.length), authStart + AUTH_DATA_LENGTH)),
  };
}

/** What the transport saw of the IP layer, for the checks Keepalived makes there. */
export interface ReceivedEnvelope {
  /** The IP TTL, or null when the transport cannot tell (UDP). */
  readonly ttl: number | null;
  /** This instance uses unicast peers: TTL 255 is then not required. */
  readonly unicast: boolean;
}

/**
 * Keepalived's receive checks on a VRRP message (the bytes after the IP header), in its order:
 * VRID, length for the count, TTL 255 (multicast, when `received` knows it), version, auth type
 * known and ours, password (constant time), advert interval equal to ours, type, VIP count,
 * checksum, each of our VIPs present. Any failure means the packet is ignored; two nodes that
 * fail each other's checks both become MASTER.
 */
export function checkAdvert(packet: Uint8Array, expected: AdvertExpectations, received?: ReceivedEnvelope): AdvertCheck {
  return runChecks(packet, expected, { ipHeaderLength: 0, ttl: received?.ttl ?? null, unicast: received?.unicast ?? null, ip: null });
}

/** What a raw transport knows besides the VRRP bytes: whether this instance uses unicast peers. */
export interface DatagramExpectations extends AdvertExpectations {
  readonly unicast: boolean;
}

/**
 * The same checks on an IPv4 datagram as a raw socket delivers it, with the IP-level ones where
 * Keepalived has them: AH presence, total length including the IP header, TTL 255 (multicast
 * only), the IP total length field, and multicast destination for a multicast instance (unicast
 * for a unicast one).
 */
export function checkIpv4Advert(datagram: Uint8Array, expected: DatagramExpectations): AdvertCheck {
  const header = parseIpv4Header(datagram);
  if (!header) return { ok: false, reason: `ip/vrrp header too short. ${datagram.length} and expect at least ${IPV4_HEADER_LENGTH + FIXED_HEADER_LENGTH}` };
  if (header.protocol === AH_PROTOCOL) return { ok: false, reason: "Received AH header but auth type not AH" };
  if (header.protocol !== VRRP_PROTOCOL) return { ok: false, reason: `IP protocol ${header.protocol} is not VRRP (${VRRP_PROTOCOL})` };
  const minimum = header.headerLength + FIXED_HEADER_LENGTH;
  if (datagram.length < minimum) return { ok: false, reason: `ip/vrrp header too short. ${datagram.length} and expect at least ${minimum}` };
  return runChecks(datagram.subarray(header.headerLength), expected, {
    ipHeaderLength: header.headerLength,
    ttl: header.ttl,
    unicast: expected.unicast,
    ip: { header, receivedLength: datagram.length },
  });
}

interface CheckContext {
  /** Counted in the lengths Keepalived reports (it measures from the IP header). */
  readonly ipHeaderLength: number;
  readonly ttl: number | null;
  /** null: unknown, so neither the TTL nor the destination can be judged. */
  readonly unicast: boolean | null;
  readonly ip: { readonly header: Ipv4Header; readonly receivedLength: number } | null;
}

function runChecks(packet: Uint8Array, expected: AdvertExpectations, context: CheckContext): AdvertCheck {
  const fail = (reason: string): AdvertCheck => ({ ok: false, reason });
  const { ip } = context;
  const advert = decodeAdvert(packet);
  if (!advert) return fail(`vrrp header too short. ${packet.length} and expect at least ${FIXED_HEADER_LENGTH}`);
  // Keepalived finds the instance by VRID before checking anything else.
  if (advert.vrid !== expected.vrid) return fail(`received VRID mismatch. Received ${advert.vrid}, Expected ${expected.vrid}`);

  const received = context.ipHeaderLength + packet.length;
  const expectedLength = context.ipHeaderLength + FIXED_HEADER_LENGTH + 4 * advert.count + (advert.version === 2 ? AUTH_DATA_LENGTH : 0);
  if (received !== expectedLength) return fail(`vrrp packet too ${received > expectedLength ? "long" : "short"}, length ${received} and expect ${expectedLength}`);
  if (context.unicast === false && context.ttl !== null && context.ttl !== VRRP_TTL) return fail(`invalid TTL/HL. Received ${context.ttl} and expect ${VRRP_TTL}`);
  if (advert.version !== VRRP_VERSION) return fail(`wrong version. Received ${advert.version} and expect ${VRRP_VERSION}`);

  const ourAuthType = authTypeNumber(expected.auth);
  if (advert.authType !== AUTH_TYPE_NONE && advert.authType !== AUTH_TYPE_PASS && advert.authType !== AUTH_TYPE_AH) return fail(`Invalid auth type: ${advert.authType}`);
  if (advert.authType !== ourAuthType) return fail(`received a ${advert.authType} auth, expecting ${ourAuthType}!`);
  if (expected.auth.type === "pass" && !timingSafeEqual(advert.authData, authData(expected.auth))) return fail("received an invalid passwd!");
  if (advert.advertIntervalSec !== expected.advertIntervalSec) {
    return fail(`advertisement interval mismatch mine=${expected.advertIntervalSec} sec rcv'd=${advert.advertIntervalSec} sec`);
  }

  if (advert.type !== VRRP_TYPE_ADVERTISEMENT) return fail(`Invalid packet type. ${advert.type} and expect ${VRRP_TYPE_ADVERTISEMENT}`);
  if (advert.count !== expected.addresses.length) return fail(`received an unexpected ip number count ${advert.count}, expected ${expected.addresses.length}!`);
  if (ip && ip.header.totalLength !== ip.receivedLength) return fail(`ip_tot_len mismatch against received length. ${ip.header.totalLength} and received ${ip.receivedLength}`);
  if (internetChecksum(packet) !== 0) return fail("Invalid VRRPv2 checksum");
  if (ip && context.unicast !== null) {
    const multicast = isMulticast(ip.header.destination);
    if (multicast === context.unicast) return fail(`Expected ${context.unicast ? "un" : "mult"}icast packet but received ${multicast ? "mult" : "un"}icast packet`);
  }
  for (const address of expected.addresses) {
    if (!advert.addresses.includes(address)) return fail(`ip address associated with VRID ${expected.vrid} not present in MASTER advert : ${address}`);
  }
  return { ok: true, advert };
}

function isMulticast(address: string): boolean {
  const first = Number(address.split(".")[0]);
  return first >= 224 && first <= 239;
}

function checkByte(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${what} must be a whole number in [${min}, ${max}] (got ${value})`);
}

// ── IPv4 header ──────────────────────────────────────────────────────────────

export interface Ipv4HeaderFields {
  readonly source: string;
  /** 224.0.0.18, or the unicast peer. */
  readonly destination: string;
  /** Bytes after the header (the VRRP message). */
  readonly payloadLength: number;
  /** 0 (the default) lets the kernel choose, as with Keepalived's first packets. */
  readonly identification?: number;
  readonly protocol?: number;
}

export interface Ipv4Header {
  readonly version: number;
  readonly headerLength: number;
  readonly tos: number;
  readonly totalLength: number;
  readonly identification: number;
  /** Flags and fragment offset. */
  readonly fragment: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly checksum: number;
  /** The header checksum verifies (sums to 0). */
  readonly checksumValid: boolean;
  readonly source: string;
  readonly destination: string;
}

/** The 20-byte IPv4 header Keepalived sends adverts with: TOS 0xC0, no fragmentation, TTL 255, protocol 112, checksum filled in. */
export function buildIpv4Header(fields: Ipv4HeaderFields): Buffer {
  const header = Buffer.alloc(IPV4_HEADER_LENGTH);
  header[0] = 0x45;
  header[1] = VRRP_TOS;
  header.writeUInt16BE(IPV4_HEADER_LENGTH + fields.payloadLength, 2);
  header.writeUInt16BE(fields.identification ?? 0, 4);
  header.writeUInt16BE(0, 6);
  header[8] = VRRP_TTL;
  header[9] = fields.protocol ?? VRRP_PROTOCOL;
  ipv4Bytes(fields.source).copy(header, 12);
  ipv4Bytes(fields.destination).copy(header, 16);
  header.writeUInt16BE(internetChecksum(header), 10);
  return header;
}

/** An advert with its IPv4 header, ready for a raw socket with IP_HDRINCL. */
export function encodeAdvertDatagram(fields: AdvertFields & Omit<Ipv4HeaderFields, "payloadLength" | "protocol">): Buffer {
  const advert = encodeAdvert(fields);
  const { source, destination, identification } = fields;
  const header = buildIpv4Header({ source, destination, payloadLength: advert.length, ...(identification === undefined ? {} : { identification }) });
  return Buffer.concat([header, advert]);
}

/** Reads an IPv4 header; null when it is not one (too short, not version 4, bad header length). */
export function parseIpv4Header(datagram: Uint8Array): Ipv4Header | null {
  if (datagram.length < IPV4_HEADER_LENGTH) return null;
  const bytes = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const version = bytes[0]! >> 4;
  const headerLength = (bytes[0]! & 0x0f) * 4;
  if (version !== 4 || headerLength < IPV4_HEADER_LENGTH || headerLength > bytes.length) return null;
  return {
    version,
    headerLength,
    tos: bytes[1]!,
    totalLength: bytes.readUInt16BE(2),
    identification: bytes.readUInt16BE(4),
    fragment: bytes.readUInt16BE(6),
    ttl: bytes[8]!,
    protocol: bytes[9]!,
    checksum: bytes.readUInt16BE(10),
    checksumValid: internetChecksum(bytes.subarray(0, headerLength)) === 0,
    source: ipv4Text(bytes, 12),
    destination: ipv4Text(bytes, 16),
  };
}
