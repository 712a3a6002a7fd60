/**
 * The statistics page for people: one card per proxy with HAProxy's familiar column groups
 * (Queue, Session rate, Sessions, Bytes, Denied, Errors, Warnings, Server), rows tinted by server
 * state, exact values in tooltips. One self-contained document: inline CSS, no script file, no
 * external asset, every name escaped. With `stats admin` each backend gets a form whose fields
 * (`s`, `action`, `b=#<id>`) are the ones HAProxy's own page posts.
 */
import { HALB_VERSION } from "../../version.js";
import { COLUMN_INDEX, type StatCell, type StatColumn } from "./columns.js";
import { escapeHtml, groupedNumber, humanBytes, humanDuration } from "./html-format.js";
import type { StatsProxy, StatsRegistry } from "./registry.js";
import type { AdminStatusCode, StatsUriOptions } from "./request-options.js";
import { type StatsRow, statsRows } from "./rows.js";
import type { StatsSettings } from "./settings.js";

export interface HtmlPageInput {
  readonly registry: StatsRegistry;
  readonly settings: StatsSettings;
  readonly options: StatsUriOptions;
  readonly nowMs: number;
  /** Where the Prometheus exporter answers on this listener, for a link; null when it does not. */
  readonly metricsPath: string | null;
}

/** The actions the page offers (HAProxy's list without the agent ones: halb has no agent checks). */
const ADMIN_CHOICES: readonly (readonly [action: string, label: string])[] = [
  ["ready", "Set state to READY"],
  ["drain", "Set state to DRAIN"],
  ["maint", "Set state to MAINT"],
  ["dhlth", "Health: disable checks"],
  ["ehlth", "Health: enable checks"],
  ["hrunn", "Health: force UP"],
  ["hnolb", "Health: force NOLB"],
  ["hdown", "Health: force DOWN"],
  ["shutdown", "Kill sessions"],
];

const ADMIN_MESSAGES: Readonly<Record<AdminStatusCode, readonly [tone: "ok" | "info" | "warn" | "error", text: string]>> = {
  DONE: ["ok", "Action processed."],
  NONE: ["info", "Nothing changed."],
  PART: ["warn", "Action partly processed: some server names are unknown."],
  ERRP: ["error", "Action not processed: the action, the backend or the server names are invalid."],
  EXCD: ["error", "Action not processed: the request was too large. Select fewer servers at a time."],
  DENY: ["error", "Action denied: this statistics page is read-only."],
  IVAL: ["error", "Invalid request."],
  UNKN: ["error", "Unexpected result."],
};

function cell(row: StatsRow, column: StatColumn): StatCell {
  return row.cells[COLUMN_INDEX.get(column) ?? -1];
}

function numberCell(row: StatsRow, column: StatColumn): number {
  const value = cell(row, column);
  return typeof value === "number" ? value : 0;
}

export function renderHtml(input: HtmlPageInput): string {
  const { registry, settings, options, nowMs } = input;
  const filter = { hideDown: options.hideDown, hideMaint: options.hideMaint, scope: options.scope };
  const rows = statsRows(registry, filter, nowMs);
  const title = `Statistics · ${settings.clusterName} / ${settings.nodeName}`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    renderHeader(input, title),
    renderMessage(input),
    renderSummary(rows),
    "<main>",
    ...groupByProxy(rows).map(([proxy, proxyRows]) => renderProxy(input, proxy, proxyRows)),
    rows.length === 0 ? '<p class="empty">No proxy matches this scope.</p>' : "",
    "</main>",
    renderFooter(settings),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** A link to the page with these view options. */
function pageLink(settings: StatsSettings, view: Pick<StatsUriOptions, "hideDown" | "hideMaint" | "noRefresh" | "scope">, csv = false): string {
  let link = settings.uri;
  if (view.hideDown) link += ";up";
  if (view.hideMaint) link += ";no-maint";
  if (view.noRefresh) link += ";norefresh";
  if (csv) link += ";csv";
  if (view.scope !== null) link += `${settings.uri.includes("?") ? "&" : "?"}scope=${view.scope}`;
  return link;
}

function renderHeader(input: HtmlPageInput, title: string): string {
  const { settings, options, registry, nowMs } = input;
  const product = settings.hideVersion ? "halb" : `halb ${HALB_VERSION}`;
  const uptime = humanDuration((nowMs - registry.startedAtMs) / 1000);
  const updated = new Date(nowMs).toISOString().slice(11, 19);
  const refreshing = settings.refreshSeconds !== null && !options.noRefresh;
  const link = (href: string, text: string): string => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const nav = [
    link(pageLink(settings, { ...options, hideDown: !options.hideDown }), options.hideDown ? "Show DOWN servers" : "Hide DOWN servers"),
    link(pageLink(settings, { ...options, hideMaint: !options.hideMaint }), options.hideMaint ? "Show MAINT servers" : "Hide MAINT servers"),
    settings.refreshSeconds === null
      ? ""
      : link(pageLink(settings, { ...options, noRefresh: !options.noRefresh }), refreshing ? "Stop refreshing" : `Refresh every ${settings.refreshSeconds} s`),
    options.scope === null ? "" : link(pageLink(settings, { ...options, scope: null }), `Scope “${options.scope}” ×`),
    link(pageLink(settings, { ...options, noRefresh: true }, true), "CSV"),
    input.metricsPath === null ? "" : link(input.metricsPath, "Prometheus"),
  ].filter((item) => item !== "");
  const refreshNote = refreshing ? ` · refreshes every ${settings.refreshSeconds} s` : "";
  return [
    '<header class="top">',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(product)} · up ${uptime} · updated ${updated} UTC${refreshNote}</p>`,
    `<nav>${nav.join("")}</nav>`,
    "</header>",
  ].join("\n");
}

function renderMessage(input: HtmlPageInput): string {
  const code = input.options.adminStatus;
  if (code === null) return "";
  const [tone, text] = ADMIN_MESSAGES[code];
  const dismiss = pageLink(input.settings, input.options);
  return `<div class="message ${tone}">${escapeHtml(text)} <a href="${escapeHtml(dismiss)}" title="Remove this message">×</a></div>`;
}

function renderSummary(rows: readonly StatsRow[]): string {
  const frontends = rows.filter((row) => row.kind === "frontend");
  const servers = rows.filter((row) => row.kind === "server");
  const backends = rows.filter((row) => row.kind === "backend" && (row.proxy.backend?.servers.length ?? 0) > 0);
  const sessions = frontends.reduce((sum, row) => sum + numberCell(row, "scur"), 0);
  const requestRate = frontends.reduce((sum, row) => sum + numberCell(row, "req_rate"), 0);
  const serversUp = servers.filter((row) => !row.server?.status.isDown()).length;
  const backendsDown = backends.filter((row) => row.proxy.backend?.status.up === false).length;
  const card = (label: string, value: string, tone = ""): string =>
    `<div class="card ${tone}"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
  return [
    '<section class="summary">',
    card("Client sessions now", groupedNumber(sessions)),
    card("Requests per second", groupedNumber(requestRate)),
    card("Servers up", `${serversUp} / ${servers.length}`, serversUp < servers.length ? "warn" : ""),
    card("Backends down", String(backendsDown), backendsDown > 0 ? "bad" : ""),
    "</section>",
  ].join("\n");
}

function groupByProxy(rows: readonly StatsRow[]): [StatsProxy, StatsRow[]][] {
  const groups: [StatsProxy, StatsRow[]][] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last && last[0] === row.proxy) last[1].push(row);
    else groups.push([row.proxy, [row]]);
  }
  return groups;
}

function renderProxy(input: HtmlPageInput, proxy: StatsProxy, rows: readonly StatsRow[]): string {
  const admin = input.settings.admin && (proxy.backend?.servers.length ?? 0) > 0;
  const badges = [proxy.kind === "stats" ? "statistics" : proxy.kind, proxy.mode, proxy.backend?.balance ?? ""].filter((badge) => badge !== "");
  const table = [
    '<div class="table-wrap"><table>',
    renderTableHead(admin, proxy.name),
    "<tbody>",
    ...rows.map((row) => renderRow(row, admin)),
    "</tbody>",
    "</table></div>",
  ].join("\n");
  const heading = `<h2 id="${escapeHtml(`proxy-${proxy.name}`)}">${escapeHtml(proxy.name)}${badges.map((badge) => ` <span class="badge">${escapeHtml(badge)}</span>`).join("")}</h2>`;
  if (!admin) return `<section class="proxy">\n${heading}\n${table}\n</section>`;
  const options = ['<option value="">Choose an action…</option>', ...ADMIN_CHOICES.map(([value, label]) => `<option value="${value}">${escapeHtml(label)}</option>`)];
  return [
    '<section class="proxy">',
    heading,
    `<form method="post" action="${escapeHtml(pageLink(input.settings, input.options))}">`,
    table,
    '<div class="actions">',
    `<label>Selected servers: <select name="action">${options.join("")}</select></label>`,
    `<input type="hidden" name="b" value="#${proxy.iid}">`,
    '<button type="submit">Apply</button>',
    "</div>",
    "</form>",
    "</section>",
  ].join("\n");
}

const GROUPS: readonly (readonly [title: string, columns: readonly string[]])[] = [
  ["Queue", ["Cur", "Max", "Limit"]],
  ["Session rate", ["Cur", "Max", "Limit"]],
  ["Sessions", ["Cur", "Max", "Limit", "Total", "LbTot", "Last"]],
  ["Bytes", ["In", "Out"]],
  ["Denied", ["Req", "Resp"]],
  ["Errors", ["Req", "Conn", "Resp"]],
  ["Warnings", ["Retr", "Redis"]],
  ["Server", ["Last check", "Weight", "Act", "Bck", "Chk", "Dwn", "Downtime"]],
];

function renderTableHead(admin: boolean, proxyName: string): string {
  const selectAll = admin
    ? `<th rowspan="2" class="pick"><input type="checkbox" title="Select every server of ${escapeHtml(proxyName)}" onclick="for (const box of this.form.querySelectorAll('input[name=s]')) box.checked = this.checked"></th>`
    : "";
  const groups = GROUPS.map(([title, columns]) => `<th colspan="${columns.length}">${escapeHtml(title)}</th>`).join("");
  const columns = GROUPS.flatMap(([, names]) => names.map((name, index) => `<th${index === 0 ? ' class="first"' : ""}>${escapeHtml(name)}</th>`)).join("");
  return `<thead><tr class="groups">${selectAll}<th rowspan="2" class="name">Name</th><th rowspan="2" class="status">Status</th>${groups}</tr><tr>${columns}</tr></thead>`;
}

/** The row's CSS state, after its status text. */
function stateClass(row: StatsRow, status: string): string {
  if (row.kind === "frontend") return "frontend";
  if (row.kind === "backend") return `backend ${status.startsWith("UP") ? "s-up" : "s-down"}`;
  if (status === "MAINT") return "server s-maint";
  if (status.startsWith("DRAIN") || status.startsWith("NOLB")) return "server s-drain";
  if (status === "no check") return "server s-nocheck";
  if (status === "UP") return "server s-up";
  if (status.startsWith("UP ")) return "server s-going-down";
  if (status.startsWith("DOWN ")) return "server s-going-up";
  return "server s-down";
}

function renderRow(row: StatsRow, admin: boolean): string {
  const status = String(cell(row, "status") ?? "");
  const value = (column: StatColumn): string => {
    const content = cell(row, column);
    return typeof content === "number" ? groupedNumber(content) : escapeHtml(content ?? "");
  };
  const td = (content: string, extra = ""): string => `<td${extra}>${content}</td>`;
  const titled = (content: string, title: string, extra = ""): string =>
    title === "" ? td(content, extra) : td(`<span class="tip" title="${escapeHtml(title)}">${content}</span>`, extra);
  const bytes = (column: StatColumn, extra = ""): string => {
    const count = numberCell(row, column);
    return titled(humanBytes(count), `${groupedNumber(count)} bytes`, extra);
  };
  const age = (column: StatColumn): string => {
    const seconds = cell(row, column);
    return typeof seconds === "number" && seconds >= 0 ? humanDuration(seconds) : "";
  };

  const pick =
    admin && row.kind === "server" && row.server
      ? `<td class="pick"><input type="checkbox" name="s" value="${escapeHtml(row.server.name)}" aria-label="Select ${escapeHtml(row.server.name)}"></td>`
      : admin
        ? '<td class="pick"></td>'
        : "";
  const name = row.kind === "server" ? escapeHtml(row.server?.name ?? "") + (row.server?.status.backup ? ' <span class="badge">backup</span>' : "") : row.kind === "frontend" ? "Frontend" : "Backend";
  const since = row.kind === "frontend" ? "" : ` <span class="since">${age("lastchg")}</span>`;
  const cells = [
    pick,
    `<td class="name">${name}</td>`,
    td(`<span class="pill">${escapeHtml(status)}</span>${since}`, ' class="status"'),
    td(value("qcur"), ' class="first"'),
    td(value("qmax")),
    td(value("qlimit")),
    td(value("rate"), ' class="first"'),
    td(value("rate_max")),
    td(row.kind === "frontend" ? value("rate_lim") : ""),
    td(value("scur"), ' class="first"'),
    td(value("smax")),
    td(value("slim")),
    titled(value("stot"), responsesTitle(row)),
    td(value("lbtot")),
    td(row.kind === "frontend" ? "" : age("lastsess")),
    bytes("bin", ' class="first"'),
    bytes("bout"),
    td(value("dreq"), ' class="first"'),
    td(value("dresp")),
    td(value("ereq"), ' class="first"'),
    td(value("econ")),
    titled(value("eresp"), row.kind === "frontend" ? "" : `Aborted transfers: ${value("cli_abrt")} by the client, ${value("srv_abrt")} by the server`),
    td(value("wretr"), ' class="first"'),
    td(value("wredis")),
    lastCheckCell(row),
    td(value("weight")),
    td(row.kind === "server" ? (numberCell(row, "act") ? "Y" : "–") : value("act")),
    td(row.kind === "server" ? (numberCell(row, "bck") ? "Y" : "–") : value("bck")),
    td(value("chkfail")),
    td(value("chkdown")),
    td(age("downtime")),
  ];
  return `<tr class="${stateClass(row, status)}">${cells.join("")}</tr>`;
}

function responsesTitle(row: StatsRow): string {
  if (row.proxy.mode !== "http" || row.kind === "server" || cell(row, "req_tot") === undefined) return "";
  const classes = (["hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"] as const).map(
    (column) => `${column.slice(5)}: ${groupedNumber(numberCell(row, column))}`,
  );
  return `HTTP requests: ${groupedNumber(numberCell(row, "req_tot"))}\n${classes.join(", ")}`;
}

/** "L7OK/200 in 3ms", with the description and what the check said as the tooltip. */
function lastCheckCell(row: StatsRow): string {
  const status = cell(row, "check_status");
  if (status === undefined) return '<td class="first"></td>';
  const code = cell(row, "check_code");
  const duration = cell(row, "check_duration");
  const text = `${status}${code === undefined ? "" : `/${code}`}${duration === undefined ? "" : ` in ${duration}ms`}`;
  const description = String(cell(row, "check_desc") ?? "");
  const detail = String(cell(row, "last_chk") ?? "");
  const title = detail === "" ? description : `${description}: ${detail}`;
  return `<td class="first check"><span class="tip" title="${escapeHtml(title)}">${escapeHtml(text)}</span></td>`;
}

function renderFooter(settings: StatsSettings): string {
  const legend = [
    ["s-up", "UP"],
    ["s-going-down", "UP, failing checks"],
    ["s-going-up", "DOWN, passing checks"],
    ["s-down", "DOWN"],
    ["s-drain", "DRAIN / NOLB"],
    ["s-maint", "MAINT"],
    ["s-nocheck", "not checked"],
  ]
    .map(([state, label]) => `<span class="${state}"><span class="pill">${escapeHtml(label ?? "")}</span></span>`)
    .join(" ");
  const generator = settings.hideVersion ? "halb" : `halb ${HALB_VERSION}`;
  return `<footer><div class="legend">${legend}</div><p>Served by ${escapeHtml(generator)} with HAProxy 2.6's statistics semantics · <a href="${escapeHtml(settings.uri)};csv;norefresh">CSV</a></p></footer>`;
}

const STYLE = `
:root{--bg:#f5f6f8;--fg:#1d2330;--muted:#667085;--card:#fff;--line:#e3e6ec;--head:#f0f2f6;
--up:#1a7f37;--up-bg:#ecf8f0;--warn:#9a6700;--warn-bg:#fff7e0;--rise:#c2410c;--rise-bg:#fff1e7;
--down:#cf222e;--down-bg:#fdeef0;--drain:#1f6feb;--drain-bg:#eaf2ff;--maint:#6e56cf;--maint-bg:#f3f0ff;
--nocheck:#3f7f55;--nocheck-bg:#f3f8f4;--open:#475467}
@media (prefers-color-scheme:dark){:root{--bg:#0f1217;--fg:#e6e8ee;--muted:#98a2b3;--card:#171b22;--line:#283040;--head:#1d222b;
--up-bg:#12291b;--warn-bg:#2d2512;--rise-bg:#2f1d12;--down-bg:#331519;--drain-bg:#142340;--maint-bg:#221c3d;--nocheck-bg:#16241b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
a{color:var(--drain)}
header.top{padding:22px 28px 8px}
h1{font-size:21px;margin:0 0 2px;font-weight:650}
.meta{margin:0;color:var(--muted)}
nav{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
nav a{padding:4px 12px;border:1px solid var(--line);border-radius:999px;background:var(--card);text-decoration:none;color:var(--fg);font-size:13px}
nav a:hover{border-color:var(--drain)}
.message{margin:12px 28px 0;padding:10px 14px;border-radius:8px;border:1px solid var(--line)}
.message a{float:right;text-decoration:none;color:inherit;font-weight:700}
.message.ok{background:var(--up-bg)}.message.info{background:var(--drain-bg)}.message.warn{background:var(--warn-bg)}.message.error{background:var(--down-bg)}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;padding:14px 28px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.card .label{color:var(--muted);font-size:12px}.card .value{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}
.card.warn{background:var(--warn-bg)}.card.bad{background:var(--down-bg)}
main{padding:4px 0 8px}
section.proxy{margin:16px 28px;background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
section.proxy h2{margin:0;padding:11px 16px;font-size:16px;font-weight:650;border-bottom:1px solid var(--line)}
.badge{display:inline-block;margin-left:4px;padding:0 8px;border:1px solid var(--line);border-radius:999px;font-size:11px;font-weight:500;color:var(--muted);vertical-align:middle}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
table{font-size:13px}
th,td{padding:4px 7px;border-bottom:1px solid var(--line);white-space:nowrap;text-align:right}
thead th{background:var(--head);color:var(--muted);font-size:12px;font-weight:600}
thead tr.groups th{text-align:center;color:var(--fg)}
th.first,td.first,thead tr.groups th{border-left:1px solid var(--line)}
th.name,td.name{text-align:left;position:sticky;left:0;background:inherit;font-weight:600}
thead th.name{background:var(--head)}
td.pick,th.pick{text-align:center;width:1%}
tbody tr:last-child td{border-bottom:0}
tr.frontend td{background:var(--head)}
tr.backend td{background:var(--head);font-weight:600}
tr.server td{background:var(--tint,var(--card))}
.s-up{--tint:var(--up-bg);--state:var(--up)}.s-going-down{--tint:var(--warn-bg);--state:var(--warn)}
.s-going-up{--tint:var(--rise-bg);--state:var(--rise)}.s-down{--tint:var(--down-bg);--state:var(--down)}
.s-drain{--tint:var(--drain-bg);--state:var(--drain)}.s-maint{--tint:var(--maint-bg);--state:var(--maint)}
.s-nocheck{--tint:var(--nocheck-bg);--state:var(--nocheck)}
tr.frontend{--state:var(--open)}
.pill{display:inline-block;padding:1px 9px;border-radius:999px;background:var(--state,var(--open));color:#fff;font-size:12px;font-weight:600}
td.status,th.status{text-align:left}.since{color:var(--muted);font-size:12px}
td.check{text-align:left}
.tip{cursor:help}.tip:hover{text-decoration:underline dotted}
.actions{display:flex;flex-wrap:wrap;gap:10px;align-items:center;padding:10px 16px;border-top:1px solid var(--line);background:var(--head)}
select,button{font:inherit;padding:4px 8px;border-radius:6px;border:1px solid var(--line);background:var(--card);color:var(--fg)}
button{background:var(--drain);border-color:var(--drain);color:#fff;cursor:pointer}
.empty{margin:16px 28px;color:var(--muted)}
footer{padding:4px 28px 28px;color:var(--muted);font-size:13px}
.legend{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:6px}
`.trim();
