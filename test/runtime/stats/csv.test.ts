import { describe, expect, it } from "vitest";
import { STAT_COLUMNS } from "../../../src/runtime/stats/columns.js";
import { CSV_HEADER, renderCsv } from "../../../src/runtime/stats/csv.js";
import { StatsRegistry } from "../../../src/runtime/stats/registry.js";
import { ALL_ROWS, type StatsRow, statsRows } from "../../../src/runtime/stats/rows.js";
import { fixtureIr } from "./fixture-ir.js";

/** HAProxy 2.6.12's `show stat` header, as `/stats;csv` printed it. */
const HAPROXY_2_6_12_HEADER =
  "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,\n";

const T0 = 5_000_000;

function registry(): StatsRegistry {
  return new StatsRegistry(fixtureIr(), { nowMs: T0, processMaxconn: 9990 });
}

function value(row: StatsRow | undefined, column: (typeof STAT_COLUMNS)[number]): string | number | undefined {
  return row?.cells[STAT_COLUMNS.indexOf(column)];
}

function find(rows: readonly StatsRow[], pxname: string, svname: string): StatsRow | undefined {
  return rows.find((row) => row.proxy.name === pxname && value(row, "svname") === svname);
}

describe("CSV", () => {
  it("has HAProxy 2.6.12's header", () => {
    expect(CSV_HEADER).toBe(HAPROXY_2_6_12_HEADER);
    expect(STAT_COLUMNS.indexOf("-")).toBe(103);
  });

  it("ends every field with a comma and quotes only text holding a comma, a quote or a line break", () => {
    const stats = registry();
    stats.server("app", "s2").status.recordCheck({ status: "L7STS", code: 503, durationMs: 4, description: 'said "no", twice', health: 0 }, T0 + 1);
    const text = renderCsv(statsRows(stats, ALL_ROWS, T0 + 2_000));
    const lines = text.split("\n");
    expect(lines.at(-1)).toBe("");
    for (const line of lines.slice(0, -1)) expect(line.endsWith(",")).toBe(true);
    const s2 = lines.find((line) => line.startsWith("app,s2,"));
    expect(s2).toContain(',"said ""no"", twice",');
    expect(s2).toContain(",L7STS,503,4,");
    expect(s2?.split(",").length).toBeGreaterThan(STAT_COLUMNS.length);
  });

  it("fills rows per type as HAProxy does: FRONTEND, servers, BACKEND, with HTTP-only fields empty in TCP", () => {
    const rows = statsRows(registry(), ALL_ROWS, T0 + 3_000);
    expect(rows.map((row) => `${row.proxy.name}/${value(row, "svname")}`)).toEqual([
      "stats/FRONTEND", "stats/BACKEND", "www/FRONTEND", "db/FRONTEND", "db/db1", "db/BACKEND", "app/s1", "app/s2", "app/s3", "app/s4", "app/BACKEND",
    ]); // prettier-ignore
    const www = find(rows, "www", "FRONTEND");
    expect([value(www, "type"), value(www, "status"), value(www, "slim"), value(www, "qcur"), value(www, "hrsp_2xx")]).toEqual([0, "OPEN", 500, undefined, 0]);
    const db = find(rows, "db", "FRONTEND");
    expect([value(db, "hrsp_2xx"), value(db, "req_tot"), value(db, "intercepted"), value(db, "cache_hits"), value(db, "comp_in")]).toEqual([undefined, 0, undefined, undefined, 0]);
    const db1 = find(rows, "db", "db1");
    expect([value(db1, "type"), value(db1, "hrsp_2xx"), value(db1, "req_tot"), value(db1, "slim"), value(db1, "check_status")]).toEqual([2, undefined, undefined, 50, "INI"]);
    const s3 = find(rows, "app", "s3");
    expect([value(s3, "status"), value(s3, "chkfail"), value(s3, "downtime"), value(s3, "check_status"), value(s3, "check_health")]).toEqual(["MAINT", 0, 3, undefined, undefined]);
    const s4 = find(rows, "app", "s4");
    expect([value(s4, "status"), value(s4, "weight"), value(s4, "act"), value(s4, "bck"), value(s4, "chkfail"), value(s4, "downtime"), value(s4, "lastchg")]).toEqual(["no check", 5, 0, 1, undefined, undefined, 3]);
    const app = find(rows, "app", "BACKEND");
    expect([value(app, "type"), value(app, "status"), value(app, "weight"), value(app, "act"), value(app, "bck"), value(app, "slim"), value(app, "lastsess")]).toEqual([1, "UP", 5, 2, 1, 50, -1]);
    const statsBackend = find(rows, "stats", "BACKEND");
    expect([value(statsBackend, "downtime"), value(statsBackend, "agg_server_status"), value(statsBackend, "weight")]).toEqual([undefined, 0, 0]);
  });

  it("reports traffic counters where HAProxy does", () => {
    const stats = registry();
    const frontend = stats.frontend("www").counters;
    const server = stats.server("app", "s1").counters;
    frontend.connectionOpened(T0 + 10);
    frontend.requestReceived(T0 + 10);
    frontend.responseSent(404);
    frontend.bin = 120;
    server.sessionStarted(T0 + 10);
    server.responseSent(404);
    server.recordTimes(1, 2, 30, 45);
    const rows = statsRows(stats, ALL_ROWS, T0 + 2_010);
    const www = find(rows, "www", "FRONTEND");
    expect([value(www, "scur"), value(www, "stot"), value(www, "req_tot"), value(www, "hrsp_4xx"), value(www, "bin"), value(www, "h1_bytes_in"), value(www, "conn_tot")]).toEqual([1, 1, 1, 1, 120, 120, 1]);
    const s1 = find(rows, "app", "s1");
    expect([value(s1, "stot"), value(s1, "hrsp_4xx"), value(s1, "lastsess"), value(s1, "rtime"), value(s1, "ttime_max"), value(s1, "used_conn_cur")]).toEqual([1, 1, 2, 30, 45, 1]);
  });

  it("leaves out DOWN or MAINT servers for ;up, MAINT ones for ;no-maint, and filters proxies by scope", () => {
    const stats = registry();
    stats.server("app", "s2").status.recordCheck({ status: "L4CON", durationMs: 0, description: "", health: 0 }, T0 + 1);
    const names = (rows: StatsRow[]): string[] => rows.map((row) => `${row.proxy.name}/${value(row, "svname")}`);
    const up = statsRows(stats, { hideDown: true, hideMaint: false, scope: "APP" }, T0 + 2);
    expect(names(up)).toEqual(["app/s1", "app/s4", "app/BACKEND"]);
    expect(value(up.at(-1), "status")).toBe("UP (2/4)");
    const noMaint = statsRows(stats, { hideDown: false, hideMaint: true, scope: "ap" }, T0 + 2);
    expect(names(noMaint)).toEqual(["app/s1", "app/s2", "app/s4", "app/BACKEND"]);
  });
});
