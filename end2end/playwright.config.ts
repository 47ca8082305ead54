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
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hall-e2e-"));

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
    { name: "phone", use: { ...phone }, testIgnore: workbench },
    { name: "desktop", use: { ...desktop }, testIgnore: workbench },
    { name: "phone-nojs", use: { ...phone, javaScriptEnabled: false }, testIgnore: workbench },
    { name: "desktop-nojs", use: { ...desktop, javaScriptEnabled: false }, testIgnore: workbench },
    // The cross-role case moves the shared demo clock, so its two runs go one after the other.
    { name: "workbench-desktop", use: { ...desktop }, testMatch: workbench },
    {
      name: "workbench-phone-nojs",
      use: { ...phone, javaScriptEnabled: false },
      testMatch: workbench,
      dependencies: ["workbench-desktop"],
    },
  ],
  webServer: {
    command: serverBin,
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
      RUST_LOG: "warn",
    },
  },
});
