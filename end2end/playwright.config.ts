import { defineConfig, devices } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// The suite runs against the release server built by `make e2e`, on a fresh SQLite database in a temp dir.
const port = Number(process.env.E2E_PORT ?? 3107);
const baseURL = `http://127.0.0.1:${port}`;
const repo = path.resolve(__dirname, "..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), ".cache/hall/target");
const serverBin = process.env.SERVER_BIN ?? path.join(targetDir, "release/server");
// Made once by the main process; the workers inherit it (and the privacy check reads the server's log there).
const dataDir = process.env.HALL_E2E_DATA ?? fs.mkdtempSync(path.join(os.tmpdir(), "hall-e2e-"));
process.env.HALL_E2E_DATA = dataDir;
const serverLog = path.join(dataDir, "server.log");

// Debian's chromium, never a downloaded browser. The flags keep it off the (closed) network.
const launchOptions = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

const phone = {
  viewport: devices["Pixel 7"].viewport,
  deviceScaleFactor: devices["Pixel 7"].deviceScaleFactor,
  isMobile: true,
  hasTouch: true,
  userAgent: devices["Pixel 7"].userAgent,
};
const desktop = { viewport: { width: 1366, height: 900 } };
const workbench = /workbench\.spec\.ts/;
const privacy = /privacy\.spec\.ts/;
const appointments = /appointments\.spec\.ts/;
const journeys = [workbench, privacy, appointments];

export default defineConfig({
  testDir: "./tests",
  // Generous: two cores run the server, two browsers and axe at once; these bound hangs, they time nothing.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    launchOptions,
    trace: "retain-on-failure",
  },
  projects: [
    { name: "phone", use: { ...phone }, testIgnore: journeys },
    { name: "desktop", use: { ...desktop }, testIgnore: journeys },
    { name: "phone-nojs", use: { ...phone, javaScriptEnabled: false }, testIgnore: journeys },
    { name: "desktop-nojs", use: { ...desktop, javaScriptEnabled: false }, testIgnore: journeys },
    // The cross-role case moves the shared demo clock, so its two runs go one after the other.
    { name: "workbench-desktop", use: { ...desktop }, testMatch: workbench },
    {
      name: "workbench-phone-nojs",
      use: { ...phone, javaScriptEnabled: false },
      testMatch: workbench,
      dependencies: ["workbench-desktop"],
    },
    // Appointments move the same clock (to the booked day, for the window's list of today): after the workbench.
    {
      name: "appointments-desktop",
      use: { ...desktop },
      testMatch: appointments,
      dependencies: ["workbench-phone-nojs"],
    },
    {
      name: "appointments-phone-nojs",
      use: { ...phone, javaScriptEnabled: false },
      testMatch: appointments,
      dependencies: ["appointments-desktop"],
    },
    // Last: the server's log of the whole run holds no resident ID or mobile number.
    {
      name: "privacy",
      testMatch: privacy,
      dependencies: ["phone", "desktop", "phone-nojs", "desktop-nojs", "workbench-phone-nojs", "appointments-phone-nojs"],
    },
  ],
  webServer: {
    // The log goes to a file (stderr), at info level, for the privacy check; stdout (the banner) stays visible.
    command: `"${serverBin}" 2>> "${serverLog}"`,
    cwd: repo,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    env: {
      HALL_ADDR: `127.0.0.1:${port}`,
      HALL_DATA_DIR: dataDir,
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? `sqlite://${dataDir}/hall.db?mode=rwc`,
      HALL_DEMO: "1",
      HALL_SITE_ROOT: path.join(repo, "target/site"),
      RUST_LOG: "info",
    },
  },
});
