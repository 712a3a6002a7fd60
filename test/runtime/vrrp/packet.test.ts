import { describe, expect, it } from "vitest";
import {
  type AdvertExpectations,
  type AdvertFields,
  authData,
  buildIpv4Header,
  checkAdvert,
  checkIpv4Advert,
  decodeAdvert,
  encodeAdvert,
  encodeAdvertDatagram,
  internetChecksum,
  parseIpv4Header,
} from "../../../src/runtime/vrrp/packet.js";

/** research/runtime-semantics.md §2.13: VRID 51, prio 100, VIP 192.168.1.100, PASS "secret", interval 1, from 192.168.1.11. */
const WORKED_IP = "45 c0 00 28 00 00 00 00 ff 70 18 e0 c0 a8 01 0b e0 00 00 12";
const WORKED_VRRP = "21 33 64 01 01 01 7b 71 c0 a8 01 64 73 65 63 72 65 74 00 00";

const workedFields: AdvertFields = {
  vrid: 51,
  priority: 100,
  advertIntervalSec: 1,
  addresses: ["192.168.1.100"],
  auth: { type: "pass", password: "secret" },
};

const ours: AdvertExpectations = { vrid: 51, advertIntervalSec: 1, auth: { type: "pass", password: "secret" }, addresses: ["192.168.1.100"] };

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex").replace(/(..)(?!$)/g, "$1 ");
}

/** The worked advert with some bytes changed and, unless told otherwise, its checksum recomputed. */
function altered(change: (packet: Buffer) => void, fixChecksum = true): Buffer {
  const packet = encodeAdvert(workedFields);
  change(packet);
  if (fixChecksum) {
    packet.writeUInt16BE(0, 6);
    packet.writeUInt16BE(internetChecksum(packet), 6);
  }
  return packet;
}

function reason(packet: Uint8Array, expected: AdvertExpectations = ours): string {
  const result = checkAdvert(packet, expected);
  return result.ok ? "ok" : result.reason;
}

describe("the advertisement bytes (RFC 3768 §5.1 as Keepalived sends them)", () => {
  it("encodes the worked example of §2.13 byte for byte", () => {
    expect(hex(encodeAdvert(workedFields))).toBe(WORKED_VRRP);
  });

  it("builds the IPv4 header of §2.13: TOS 0xC0, id 0, TTL 255, protocol 112, checksum 0x18e0", () => {
    expect(hex(buildIpv4Header({ source: "192.168.1.11", destination: "224.0.0.18", payloadLength: 20 }))).toBe(WORKED_IP);
    const datagram = encodeAdvertDatagram({ ...workedFields, source: "192.168.1.11", destination: "224.0.0.18" });
    expect(hex(datagram)).toBe(`${WORKED_IP} ${WORKED_VRRP}`);
  });

  it("checksums without a pseudo-header; an intact message and header sum to 0", () => {
    const packet = encodeAdvert(workedFields);
    expect(packet.readUInt16BE(6)).toBe(0x7b71);
    expect(internetChecksum(packet)).toBe(0);
    expect(internetChecksum(buildIpv4Header({ source: "192.168.1.11", destination: "224.0.0.18", payloadLength: 20 }))).toBe(0);
    // RFC 1071's example words, and an odd length padded with a zero byte.
    expect(internetChecksum(Buffer.from("0001f203f4f5f6f7", "hex"))).toBe(~0xddf2 & 0xffff);
    expect(internetChecksum(Buffer.from([0x01]))).toBe(~0x0100 & 0xffff);
  });

  it("carries no authentication data without PASS, and every VIP in order", () => {
    const packet = encodeAdvert({ ...workedFields, auth: { type: "none" }, addresses: ["10.0.0.1", "10.0.0.2"], priority: 0 });
    expect(packet.length).toBe(8 + 8 + 8);
    expect(hex(packet.subarray(0, 6))).toBe("21 33 00 02 00 01");
    expect(hex(packet.subarray(8, 16))).toBe("0a 00 00 01 0a 00 00 02");
    expect(hex(packet.subarray(16))).toBe("00 00 00 00 00 00 00 00");
    expect(internetChecksum(packet)).toBe(0);
  });

  it("truncates a PASS password to 8 bytes and pads a short one with NULs", () => {
    expect(authData({ type: "pass", password: "averylongpassword" }).toString("latin1")).toBe("averylon");
    expect(hex(authData({ type: "pass", password: "ab" }))).toBe("61 62 00 00 00 00 00 00");
    expect(hex(authData({ type: "none" }))).toBe("00 00 00 00 00 00 00 00");
  });

  it("refuses what cannot go on the wire", () => {
    expect(() => encodeAdvert({ ...workedFields, vrid: 0 })).toThrow(RangeError);
    expect(() => encodeAdvert({ ...workedFields, priority: 256 })).toThrow(RangeError);
    expect(() => encodeAdvert({ ...workedFields, advertIntervalSec: 0 })).toThrow(RangeError);
    expect(() => encodeAdvert({ ...workedFields, addresses: ["2001:db8::1"] })).toThrow(RangeError);
  });

  it("decodes what it encodes", () => {
    const advert = decodeAdvert(Buffer.from(WORKED_VRRP.replaceAll(" ", ""), "hex"));
    expect(advert).toMatchObject({ version: 2, type: 1, vrid: 51, priority: 100, count: 1, authType: 1, advertIntervalSec: 1, checksum: 0x7b71, addresses: ["192.168.1.100"] });
    expect(advert?.authData.toString("latin1")).toBe("secret\0\0");
    expect(decodeAdvert(Buffer.alloc(7))).toBeNull();
  });

  it("parses the IPv4 header", () => {
    const header = parseIpv4Header(Buffer.from(`${WORKED_IP} ${WORKED_VRRP}`.replaceAll(" ", ""), "hex"));
    expect(header).toEqual({
      version: 4,
      headerLength: 20,
      tos: 0xc0,
      totalLength: 40,
      identification: 0,
      fragment: 0,
      ttl: 255,
      protocol: 112,
      checksum: 0x18e0,
      checksumValid: true,
      source: "192.168.1.11",
      destination: "224.0.0.18",
    });
    expect(parseIpv4Header(Buffer.alloc(19))).toBeNull();
    expect(parseIpv4Header(Buffer.from("65" + "00".repeat(19), "hex"))).toBeNull();
    expect(buildIpv4Header({ source: "10.0.0.11", destination: "10.0.0.12", payloadLength: 20, identification: 7 }).readUInt16BE(4)).toBe(7);
  });
});

describe("Keepalived's receive checks (vrrp_check_packet), in its order and words", () => {
  it("accepts the worked advert and returns it", () => {
    const result = checkAdvert(encodeAdvert(workedFields), ours);
    expect(result.ok && result.advert.priority).toBe(100);
  });

  it("another VRID is not ours", () => {
    expect(reason(encodeAdvert({ ...workedFields, vrid: 52 }))).toBe("received VRID mismatch. Received 52, Expected 51");
  });

  it("the length must be the fixed header, 4 bytes per counted VIP and the 8 bytes of auth data", () => {
    expect(reason(Buffer.alloc(5))).toBe("vrrp header too short. 5 and expect at least 8");
    const packet = encodeAdvert(workedFields);
    expect(reason(Buffer.concat([packet, Buffer.from([0])]))).toBe("vrrp packet too long, length 21 and expect 20");
    expect(reason(packet.subarray(0, 19))).toBe("vrrp packet too short, length 19 and expect 20");
    expect(reason(altered((p) => (p[3] = 2)))).toBe("vrrp packet too short, length 20 and expect 24");
  });

  it("the version must be 2", () => {
    // A VRRPv3 advert has no authentication data, so its length passes for a v3 message first.
    expect(reason(altered((p) => (p[0] = 0x31)).subarray(0, 12))).toBe("wrong version. Received 3 and expect 2");
  });

  it("the auth type must be known and ours", () => {
    expect(reason(altered((p) => (p[4] = 5)))).toBe("Invalid auth type: 5");
    expect(reason(encodeAdvert({ ...workedFields, auth: { type: "none" } }))).toBe("received a 0 auth, expecting 1!");
    expect(reason(encodeAdvert(workedFields), { ...ours, auth: { type: "none" } })).toBe("received a 1 auth, expecting 0!");
    expect(reason(altered((p) => (p[4] = 2)))).toBe("received a 2 auth, expecting 1!");
  });

  it("the password must match, over the 8 bytes Keepalived keeps", () => {
    expect(reason(encodeAdvert({ ...workedFields, auth: { type: "pass", password: "secreT" } }))).toBe("received an invalid passwd!");
    expect(reason(encodeAdvert({ ...workedFields, auth: { type: "pass", password: "longpassword-1" } }), { ...ours, auth: { type: "pass", password: "longpassword-2" } })).toBe("ok");
  });

  it("the advert interval must equal ours", () => {
    expect(reason(encodeAdvert({ ...workedFields, advertIntervalSec: 2 }))).toBe("advertisement interval mismatch mine=1 sec rcv'd=2 sec");
  });

  it("the type must be ADVERTISEMENT", () => {
    expect(reason(altered((p) => (p[0] = 0x22)))).toBe("Invalid packet type. 2 and expect 1");
  });

  it("the VIP count must equal ours", () => {
    expect(reason(encodeAdvert({ ...workedFields, addresses: ["192.168.1.100", "192.168.1.101"] }))).toBe("received an unexpected ip number count 2, expected 1!");
  });

  it("the checksum must verify", () => {
    expect(reason(altered((p) => (p[7] = 0x70), false))).toBe("Invalid VRRPv2 checksum");
    expect(reason(altered((p) => (p[2] = 101), false))).toBe("Invalid VRRPv2 checksum");
  });

  it("each of our VIPs must be in the advert", () => {
    expect(reason(encodeAdvert({ ...workedFields, addresses: ["192.168.1.101"] }))).toBe("ip address associated with VRID 51 not present in MASTER advert : 192.168.1.100");
    const two = { ...workedFields, addresses: ["192.168.1.100", "192.168.1.101"] };
    expect(reason(encodeAdvert({ ...two, addresses: ["192.168.1.101", "192.168.1.100"] }), { ...ours, addresses: two.addresses })).toBe("ok");
  });

  it("checks in Keepalived's order: the password before the interval, the interval before the VIPs", () => {
    const wrongEverything = encodeAdvert({ ...workedFields, auth: { type: "pass", password: "other" }, advertIntervalSec: 3, addresses: ["10.9.9.9"] });
    expect(reason(wrongEverything)).toBe("received an invalid passwd!");
    expect(reason(encodeAdvert({ ...workedFields, advertIntervalSec: 3, addresses: ["10.9.9.9"] }))).toBe("advertisement interval mismatch mine=1 sec rcv'd=3 sec");
  });

  it("checks the TTL where the transport knows it, for a multicast instance only", () => {
    const packet = encodeAdvert(workedFields);
    expect(checkAdvert(packet, ours, { ttl: 64, unicast: false })).toEqual({ ok: false, reason: "invalid TTL/HL. Received 64 and expect 255" });
    expect(checkAdvert(packet, ours, { ttl: 64, unicast: true }).ok).toBe(true);
    expect(checkAdvert(packet, ours, { ttl: null, unicast: false }).ok).toBe(true);
  });

  describe("on a whole datagram (raw socket)", () => {
    const datagram = (change: (d: Buffer) => void = () => {}, destination = "224.0.0.18"): Buffer => {
      const d = encodeAdvertDatagram({ ...workedFields, source: "192.168.1.11", destination });
      change(d);
      return d;
    };
    const check = (d: Buffer, unicast = false): string => {
      const result = checkIpv4Advert(d, { ...ours, unicast });
      return result.ok ? "ok" : result.reason;
    };

    it("accepts the worked datagram", () => {
      expect(check(datagram())).toBe("ok");
      expect(check(datagram(() => {}, "192.168.1.12"), true)).toBe("ok");
    });

    it("counts the IP header in the lengths", () => {
      expect(check(Buffer.concat([datagram(), Buffer.from([0])]))).toBe("vrrp packet too long, length 41 and expect 40");
      expect(check(datagram().subarray(0, 25))).toBe("ip/vrrp header too short. 25 and expect at least 28");
    });

    it("requires TTL 255 for multicast only", () => {
      expect(check(datagram((d) => (d[8] = 64)))).toBe("invalid TTL/HL. Received 64 and expect 255");
      expect(check(datagram((d) => (d[8] = 64), "192.168.1.12"), true)).toBe("ok");
    });

    it("checks the IP total length against what was received", () => {
      expect(check(datagram((d) => d.writeUInt16BE(44, 2)))).toBe("ip_tot_len mismatch against received length. 44 and received 40");
    });

    it("refuses AH and other protocols", () => {
      expect(check(datagram((d) => (d[9] = 51)))).toBe("Received AH header but auth type not AH");
      expect(check(datagram((d) => (d[9] = 17)))).toBe("IP protocol 17 is not VRRP (112)");
    });

    it("a multicast instance wants multicast adverts, a unicast one unicast adverts", () => {
      expect(check(datagram(() => {}, "192.168.1.12"))).toBe("Expected multicast packet but received unicast packet");
      expect(check(datagram(), true)).toBe("Expected unicast packet but received multicast packet");
    });
  });
});
