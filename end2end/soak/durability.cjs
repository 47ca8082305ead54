// Crash-durability soak (issue #10, Durability): a burst of real work through the browser, SIGKILL of the server at
// a seeded random moment, a restart on the same database with no manual step, then proof that every acknowledged
// write is there exactly once and that the database passes its integrity check. Repeated SOAK_CYCLES times.
// Run by `make soak` (SQLite, then PostgreSQL via .ci/with-postgres); not part of `make test`.
//
//   SERVER_BIN          the server binary (default $CARGO_TARGET_DIR/release/server)
//   SOAK_DATABASE_URL   a postgres:// URL to run on; otherwise a fresh SQLite file in a temp dir
//   SOAK_CYCLES         kill cycles (default 3)
//   SOAK_SEED           seed of the kill moments (default: random, printed)
//   SOAK_KILL_MIN_MS, SOAK_KILL_MAX_MS   the kill comes this long after the burst starts (default 10000..40000)
//   SOAK_CITIZENS       parallel citizen browsers (default 2; the window is one more)
//   SOAK_PORT           port to listen on (default: a free one)
//
// A write counts as ACKNOWLEDGED only when the browser received the redirect that answers its POST: for a
// submission the 302 to /cases/{number}?submitted=1, for an acceptance the 302 to /work/cases/{number}?done=accept,
// for a registration the 302 away from /register. JavaScript is off, so every step is a plain form POST.
"use strict";
const { chromium } = require("@playwright/test");
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const net = require("net");
const os = require("os");
const path = require("path");

const repo = path.resolve(__dirname, "../..");
const targetDir = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), ".cache/hall/target");
const serverBin = process.env.SERVER_BIN || path.join(targetDir, "release/server");
const pgUrl = /^postgres(ql)?:\/\//.test(process.env.SOAK_DATABASE_URL || "") ? process.env.SOAK_DATABASE_URL : null;
const cycles = Number(process.env.SOAK_CYCLES || 3);
const seed = Number(process.env.SOAK_SEED || Math.floor(Math.random() * 2 ** 31));
const killMin = Number(process.env.SOAK_KILL_MIN_MS || 10000);
const killMax = Number(process.env.SOAK_KILL_MAX_MS || 40000);
const citizens = Number(process.env.SOAK_CITIZENS || 2);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hall-soak-"));
const dbFile = path.join(dataDir, "hall.db");
const databaseUrl = pgUrl || `sqlite://${dbFile}?mode=rwc`;

const ANSWERS =
  "a.entity=sole&a.applicant_age=35&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=0";
const ID = "11010519491231002X";
const PASSWORD = "correct horse battery";

// mulberry32: the kill moments follow from the printed seed.
function rng(s) {
  return () => {
    s |= 0;
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(seed);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();
/** Waits for a promise at most `ms`; a browser that does not settle must not hang the soak. */
async function bounded(promise, ms, what) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(progress(`${what} did not settle within ${ms / 1000} s; going on`)), ms);
  });
  try {
    await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
const progress = (what) => process.stderr.write(`soak: ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ---- the server ---------------------------------------------------------------------------------------------------

let port;
let base;
const logFile = path.join(dataDir, "server.log");

function startServer() {
  const log = fs.openSync(logFile, "a");
  const child = spawn(serverBin, [], {
    cwd: repo,
    env: {
      ...process.env,
      HALL_ADDR: `127.0.0.1:${port}`,
      HALL_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      HALL_DEMO: "1",
      // Every burst's citizens submit from 127.0.0.1: the per-address hourly limit is not what this measures.
      HALL_SUBMIT_LIMITS: "10,1000000",
      HALL_SITE_ROOT: path.join(repo, "target/site"),
      RUST_LOG: "warn",
    },
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  child.exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return child;
}

async function waitReady(child) {
  let gone = false;
  child.exited.then(() => (gone = true));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the server exited during start-up; see ${logFile}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`the server was not ready within 120 s; see ${logFile}`);
}

// ---- the database, read directly ------------------------------------------------------------------------------------

const SQLITE_QUERY = `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for row in c.execute(sys.argv[2]):
    print("\\t".join("" if v is None else str(v) for v in row))
`;

/** Rows of a query, as arrays of strings. */
function query(sql) {
  const out = pgUrl
    ? execFileSync("psql", [pgUrl, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql], {
        encoding: "utf8",
        timeout: 120_000,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" },
      })
    : execFileSync("python3", ["-c", SQLITE_QUERY, dbFile, sql], { encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "pipe"] });
  return out
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split("\t"));
}

// Rows that must not exist: partial writes (a case without tasks or without its one submit entry), orphans.
const CONSISTENCY = `
SELECT 'case without tasks: ' || c.number FROM hall_case c
  WHERE NOT EXISTS (SELECT 1 FROM case_task t WHERE t.case_id = c.id)
UNION ALL SELECT 'task without case: ' || t.id FROM case_task t
  WHERE NOT EXISTS (SELECT 1 FROM hall_case c WHERE c.id = t.case_id)
UNION ALL SELECT 'event without case: ' || e.id FROM case_event e
  WHERE NOT EXISTS (SELECT 1 FROM hall_case c WHERE c.id = e.case_id)
UNION ALL SELECT 'draft points at no case: ' || d.id FROM draft d
  WHERE d.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hall_case c WHERE c.id = d.case_id)`;

/** The integrity check: SQLite's own (run on the file right after the kill, before the restart), or amcheck on
 * every B-tree index for PostgreSQL; and for both, the consistency queries. Returns the problems found. */
function integrity() {
  const problems = [];
  if (pgUrl) {
    try {
      query("CREATE EXTENSION IF NOT EXISTS amcheck");
      query(`SELECT bt_index_check(c.oid, true) FROM pg_index i
               JOIN pg_class c ON c.oid = i.indexrelid
               JOIN pg_am a ON a.oid = c.relam
               JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE a.amname = 'btree' AND n.nspname = 'public' AND i.indisvalid AND i.indisready`);
    } catch (e) {
      problems.push(`amcheck: ${String(e.stderr || e.message).trim()}`);
    }
  } else {
    try {
      const check = query("PRAGMA integrity_check").map((r) => r[0]);
      if (check.length !== 1 || check[0] !== "ok") problems.push(...check.map((c) => `integrity_check: ${c}`));
      problems.push(...query("PRAGMA foreign_key_check").map((r) => `foreign_key_check: ${r.join(" ")}`));
    } catch (e) {
      return [`the file cannot be read: ${String(e.stderr || e.message).trim().split("\n").pop()}`];
    }
  }
  problems.push(...query(CONSISTENCY).map((r) => r[0]));
  return problems;
}

// ---- the work -------------------------------------------------------------------------------------------------------

// Everything acknowledged so far, over all cycles (cycle number by key).
const ackedCases = new Map();
const ackedAccepts = new Map();
const ackedAccounts = new Map();
const toAccept = []; // acknowledged submissions the window has not tried yet
let mobileSeq = Math.floor(Math.random() * 1e7) * 10;

function newStats() {
  return { sent: 0, acked: 0, acceptSent: 0, acceptAcked: 0, regSent: 0, regAcked: 0, errors: [] };
}

/** Watches a page's responses for the redirects that acknowledge writes. */
function watchAcks(page, cycle, stats) {
  page.on("response", (r) => {
    const req = r.request();
    if (req.method() !== "POST" || r.status() < 300 || r.status() >= 400) return;
    const to = new URL(r.headers()["location"] || "", base);
    const submitted = /^\/cases\/([^/]+)$/.exec(to.pathname);
    if (submitted && to.searchParams.get("submitted") === "1") {
      const number = decodeURIComponent(submitted[1]);
      if (!ackedCases.has(number)) {
        ackedCases.set(number, cycle);
        toAccept.push(number);
        stats.acked++;
      }
      return;
    }
    const accepted = /^\/work\/cases\/([^/]+)$/.exec(to.pathname);
    if (accepted && to.searchParams.get("done") === "accept") {
      const number = decodeURIComponent(accepted[1]);
      if (!ackedAccepts.has(number)) {
        ackedAccepts.set(number, cycle);
        stats.acceptAcked++;
      }
      return;
    }
    if (req.url().endsWith("/api/account/register") && to.pathname !== "/register") {
      const mobile = new URLSearchParams(req.postData() || "").get("mobile");
      if (mobile && !ackedAccounts.has(mobile)) {
        ackedAccounts.set(mobile, cycle);
        stats.regAcked++;
      }
    }
  });
}

async function newPage(browser, cycle, stats, state) {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN", viewport: { width: 1280, height: 900 } });
  state.contexts.add(context);
  context.on("close", () => state.contexts.delete(context));
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  watchAcks(page, cycle, stats);
  return page;
}

async function heading(page) {
  return (await page.getByRole("heading", { level: 1 }).first().innerText()).trim();
}

async function clickAndLoad(page, locator) {
  await Promise.all([page.waitForEvent("load"), locator.click()]);
}

/** A new citizen registers and files the smallest restaurant application (sole trader), as in workbench.spec.ts. */
async function fileCase(page, stats) {
  const mobile = "139" + String(mobileSeq++ % 1e8).padStart(8, "0");
  const name = `店主${mobile.slice(-4)}`;
  await page.goto(`${base}/register`);
  await page.getByLabel("手机号", { exact: true }).fill(mobile);
  await page.getByLabel("姓名").fill(name);
  await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
  await page.getByLabel("再次输入密码").fill(PASSWORD);
  await page.getByLabel("居民身份证号码").fill(ID);
  stats.regSent++;
  await clickAndLoad(page, page.getByRole("button", { name: "注册" }));
  if (!ackedAccounts.has(mobile)) throw new Error(`registration of ${mobile} was not acknowledged (at ${page.url()})`);

  await page.goto(`${base}/themes/open-restaurant/apply?${ANSWERS}`);
  await clickAndLoad(page, page.getByRole("button", { name: "开始填写申请" }));
  if ((await heading(page)) !== "填写申请") throw new Error(`no task list: ${page.url()}`);
  await clickAndLoad(page, page.getByRole("link", { name: "申请人", exact: true }));
  await page.getByLabel("申请人姓名").fill(name);
  await page.getByLabel("申请人身份证号码").fill(ID);
  await page.getByLabel("联系电话").fill("13800138000");
  await page.getByLabel("法定代表人（经营者）姓名").fill(name);
  await page.getByLabel("法定代表人（经营者）身份证号码").fill(ID);
  await clickAndLoad(page, page.getByRole("button", { name: "保存并继续" }));
  for (let i = 0; i < 8; i++) {
    const h1 = await heading(page);
    if (h1 === "申请材料") break;
    for (const [label, value] of [
      ["企业（字号）名称", "示范小馆"],
      ["经营范围", "餐饮服务"],
      ["经营场所地址", "示范市中山路 2 号"],
    ]) {
      const field = page.getByLabel(label, { exact: true });
      if ((await field.count()) > 0 && (await field.inputValue()) === "") await field.fill(value);
    }
    await clickAndLoad(page, page.getByRole("button", { name: "保存并继续" }));
    if ((await heading(page)) === h1) throw new Error(`section "${h1}" did not save: ${page.url()}`);
  }
  if ((await heading(page)) !== "申请材料") throw new Error(`no materials page: ${page.url()}`);
  await clickAndLoad(page, page.getByRole("link", { name: "继续：核对并提交" }));
  stats.sent++;
  await clickAndLoad(page, page.getByRole("button", { name: "确认并提交申请" }));
  if ((await heading(page)) !== "申请已提交") throw new Error(`not submitted: ${page.url()}`);
  const number = (await page.locator(".case-number").first().innerText()).trim();
  if (!ackedCases.has(number)) throw new Error(`case ${number} shown but its redirect was not seen`);
}

async function citizenWorker(browser, cycle, stats, state) {
  while (!state.killed) {
    const page = await newPage(browser, cycle, stats, state);
    try {
      await fileCase(page, stats);
    } catch (e) {
      if (!state.killed) stats.errors.push(String(e.message || e).split("\n")[0]);
    } finally {
      await page.context().close().catch(() => {});
    }
  }
}

/** The demo window accepts acknowledged submissions, one by one, as they come. */
async function windowWorker(browser, cycle, stats, state) {
  const page = await newPage(browser, cycle, stats, state);
  try {
    await page.goto(`${base}/login?next=/work`);
    await page.getByLabel("账号（登录名或手机号）").fill("window");
    await page.getByLabel("密码", { exact: true }).fill("demo-window-2026");
    await clickAndLoad(page, page.getByRole("button", { name: "登录" }));
    if ((await heading(page)) !== "工作台") throw new Error(`window sign-in failed: ${page.url()}`);
    while (!state.killed) {
      const number = toAccept.shift();
      if (number === undefined) {
        await sleep(250);
        continue;
      }
      await page.goto(`${base}/work/cases/${encodeURIComponent(number)}`);
      stats.acceptSent++;
      await clickAndLoad(page, page.getByRole("button", { name: "受理", exact: true }));
      if (!ackedAccepts.has(number)) throw new Error(`acceptance of ${number} not acknowledged: ${page.url()}`);
      await page.getByRole("status").filter({ hasText: "已办理" }).first().waitFor();
    }
  } catch (e) {
    if (!state.killed) stats.errors.push(`window: ${String(e.message || e).split("\n")[0]}`);
  } finally {
    await page.context().close().catch(() => {});
  }
}

// ---- the checks -----------------------------------------------------------------------------------------------------

function verify(cycle, stats) {
  const rows = query(`SELECT c.number, c.status,
      (SELECT count(*) FROM case_event e WHERE e.case_id = c.id AND e.action = 'submit'),
      (SELECT count(*) FROM case_event e WHERE e.case_id = c.id AND e.action = 'accept')
    FROM hall_case c`);
  const cases = new Map();
  const duplicates = [];
  for (const [number, status, submits, accepts] of rows) {
    if (cases.has(number)) duplicates.push(`case ${number} stored twice`);
    cases.set(number, { status, submits: Number(submits), accepts: Number(accepts) });
    if (Number(submits) > 1) duplicates.push(`case ${number} has ${submits} submit entries`);
    if (Number(accepts) > 1) duplicates.push(`case ${number} has ${accepts} accept entries`);
  }
  const logins = new Set(query("SELECT login FROM account").map((r) => r[0]));
  const lost = [];
  let found = 0;
  let acceptFound = 0;
  let regFound = 0;
  for (const [number, c] of ackedCases) {
    const row = cases.get(number);
    if (!row) lost.push(`acknowledged case ${number} (cycle ${c}) is missing`);
    else if (row.submits !== 1) lost.push(`acknowledged case ${number} has ${row.submits} submit entries`);
    else if (c === cycle) found++;
  }
  for (const [number, c] of ackedAccepts) {
    const row = cases.get(number);
    if (!row || !["accepted", "closed"].includes(row.status) || row.accepts !== 1) {
      lost.push(`acknowledged acceptance of ${number} (cycle ${c}) is missing: ${row ? `${row.status}, ${row.accepts} accept entries` : "no case"}`);
    } else if (c === cycle) acceptFound++;
  }
  for (const [mobile, c] of ackedAccounts) {
    if (!logins.has(mobile)) lost.push(`acknowledged registration of ${mobile} (cycle ${c}) is missing`);
    else if (c === cycle) regFound++;
  }
  return { found, acceptFound, regFound, lost, duplicates, total: cases.size };
}

// ---- main -----------------------------------------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(serverBin)) throw new Error(`no server binary at ${serverBin} (make build, or set SERVER_BIN)`);
  port = Number(process.env.SOAK_PORT || (await freePort()));
  base = `http://127.0.0.1:${port}`;
  const backend = pgUrl ? "PostgreSQL" : "SQLite (WAL, synchronous=FULL)";
  console.log(`soak: ${backend}, ${cycles} cycles, seed ${seed}, kill ${killMin}..${killMax} ms into each burst`);
  console.log(`soak: server ${serverBin} on ${base}, data and log in ${dataDir}`);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const results = [];
  const failures = [];
  let server = startServer();
  try {
    await waitReady(server);
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const stats = newStats();
      const state = { killed: false, contexts: new Set() };
      const killAt = Math.round(killMin + random() * (killMax - killMin));
      const workers = [windowWorker(browser, cycle, stats, state)];
      for (let i = 0; i < citizens; i++) workers.push(citizenWorker(browser, cycle, stats, state));
      await sleep(killAt);
      server.kill("SIGKILL");
      const how = await server.exited;
      state.killed = true;
      progress(`cycle ${cycle}: SIGKILL sent, closing the browsers`);
      // What was in flight fails now rather than at its timeout.
      await bounded(Promise.allSettled([...state.contexts].map((c) => c.close())), 30_000, "closing the browsers");
      await bounded(Promise.allSettled(workers), 30_000, "the browser workers");
      progress(`cycle ${cycle}: checking the database`);
      console.log(`cycle ${cycle}: SIGKILL after ${killAt} ms (${how.signal ?? `exit ${how.code}`})`);
      // SQLite: check the file as the crash left it, before anything opens it again.
      const integrityBefore = pgUrl ? [] : integrity();
      for (const e of stats.errors) console.log(`cycle ${cycle}: before the kill: ${e}`);
      progress(`cycle ${cycle}: restarting the server`);
      server = startServer();
      try {
        await waitReady(server);
      } catch (e) {
        // Start-up after a crash must need no manual step: this is a failure of the soak, not of the harness.
        const problems = [...integrityBefore, `no restart: ${e.message}`];
        const v = { found: 0, acceptFound: 0, regFound: 0, lost: [], duplicates: [], total: 0 };
        results.push({ cycle, killAt, stats, v, problems });
        failures.push(...problems.map((p) => `integrity: ${p}`));
        break;
      }
      const problems = [...integrityBefore, ...(pgUrl ? integrity() : [])];
      const v = verify(cycle, stats);
      results.push({ cycle, killAt, stats, v, problems });
      failures.push(...v.lost, ...v.duplicates, ...problems.map((p) => `integrity: ${p}`));
    }
    // Finally, the server stops as it would normally.
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      await bounded(server.exited, 30_000, "the server's shutdown on SIGTERM");
    }
  } finally {
    if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
    await browser.close();
  }

  const head = ["cycle", "kill at ms", "submits sent", "acked", "found", "accepts sent", "acked", "found", "regs acked", "found", "duplicates", "integrity", "errors before kill"];
  const table = results.map((r) => [
    r.cycle,
    r.killAt,
    r.stats.sent,
    r.stats.acked,
    r.v.found,
    r.stats.acceptSent,
    r.stats.acceptAcked,
    r.v.acceptFound,
    r.stats.regAcked,
    r.v.regFound,
    r.v.duplicates.length,
    r.problems.length === 0 ? "ok" : `FAIL (${r.problems.length})`,
    r.stats.errors.length,
  ].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => "| " + cells.map((c, i) => c.padStart(widths[i])).join(" | ") + " |";
  console.log(`\nsoak results, ${backend}, seed ${seed} (found = acknowledged this cycle and present after the restart)`);
  console.log(line(head));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const row of table) console.log(line(row));
  const totalAcked = results.reduce((n, r) => n + r.stats.acked, 0);
  const total = results.length ? results[results.length - 1].v.total : 0;
  console.log(`cases in the database: ${total}; acknowledged over all cycles: ${ackedCases.size} cases, ${ackedAccepts.size} acceptances, ${ackedAccounts.size} registrations`);
  if (totalAcked === 0) failures.push("no submission was acknowledged at all: the soak proved nothing");
  if (failures.length > 0) {
    for (const f of failures) console.log(`FAIL: ${f}`);
    console.log(`soak: FAILED (${failures.length} problems)`);
    process.exitCode = 1;
  } else {
    console.log("soak: every acknowledged write survived every kill, none twice, integrity ok");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`soak: ${e.stack || e}`);
  process.exitCode = 1;
});
