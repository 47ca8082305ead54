import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, hasJs, open } from "./helpers";

test.describe("the service-hall home page", () => {
  test("renders in Chinese on the server, readable on this screen, accessible", async ({ page }, testInfo) => {
    const response = await open(page, testInfo, "/");
    expect(response?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page).toHaveTitle("示范市网上办事大厅");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("一网通办，一次办好");
    await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
    await expect(page.getByRole("link", { name: "跳到主要内容" })).toHaveAttribute("href", "#main");
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, testInfo);
  });

  test("large-text mode switches on and is remembered", async ({ page }, testInfo) => {
    await open(page, testInfo, "/");
    const toggle = page.getByRole("button", { name: "大字模式" });
    await expect(toggle).toHaveAttribute("aria-pressed", "false");
    await expect(page.locator("html")).not.toHaveClass(/large-text/);
    const fontBefore = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

    if (hasJs(testInfo)) {
      // Hydrated: switches in place (no navigation) and saves the choice in the background.
      const saved = page.waitForResponse((r) => r.url().endsWith("/prefs"));
      await toggle.click();
      await saved;
    } else {
      // Without JavaScript the same button posts a form and the server redirects back.
      await Promise.all([page.waitForURL("/"), toggle.click()]);
    }
    await expect(page.getByRole("button", { name: "大字模式（已开启）" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.locator("html")).toHaveClass(/large-text/);
    const fontAfter = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(fontAfter).toBeGreaterThan(fontBefore);

    await open(page, testInfo, "/");
    await expect(page.locator("html")).toHaveClass(/large-text/);
    await expectNoSidewaysScroll(page);
  });

  test("switches to English and back", async ({ page }, testInfo) => {
    await open(page, testInfo, "/");
    await Promise.all([page.waitForURL("/"), page.getByRole("button", { name: "English" }).click()]);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("One portal, done in one go");
    await expectAccessible(page, testInfo);
    await Promise.all([page.waitForURL("/"), page.getByRole("button", { name: "中文" }).click()]);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  });

  test("follows Accept-Language on the first visit", async ({ browser }, testInfo) => {
    const context = await browser.newContext({
      ...testInfo.project.use,
      locale: "en-GB",
    });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await context.close();
  });
});

test.describe("bad addresses", () => {
  test("an unknown URL gets a Chinese 404 page with a way home", async ({ page }, testInfo) => {
    const response = await open(page, testInfo, "/no-such-page/at-all");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到这个页面");
    await expect(page).toHaveTitle(/找不到这个页面/);
    await expectAccessible(page, testInfo);
    await page.getByRole("link", { name: "返回首页" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("一网通办，一次办好");
  });
});

test.describe("operations endpoints", () => {
  test("health and readiness answer", async ({ request }) => {
    const health = await request.get("/healthz");
    expect(health.status()).toBe(200);
    expect(health.headers()["x-request-id"]).toBeTruthy();
    const ready = await request.get("/readyz");
    expect(ready.status()).toBe(200);
    expect(await ready.text()).toBe("ready");
  });

  test("pages are compressed and carry security headers", async ({ request }) => {
    const home = await request.get("/", { headers: { "accept-encoding": "br, gzip" } });
    expect(home.headers()["content-encoding"]).toMatch(/br|gzip/);
    expect(home.headers()["x-content-type-options"]).toBe("nosniff");
    // A strict policy whose nonce is the one on the page's inline scripts.
    const csp = home.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? "missing";
    expect(await home.text()).toContain(`nonce="${nonce}"`);
  });
});
