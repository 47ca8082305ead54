import { BrowserContext, expect, Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** Whether this project runs with JavaScript (and so hydrates). */
export function hasJs(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

const watched = new WeakSet<Page>();

/** Fails the test (softly, so it runs to the end) on any Content-Security-Policy violation in this page: the
 * browser's console error ("Refused to execute inline script because it violates the following Content Security
 * Policy directive …", also for WebAssembly and eval) and, with JavaScript on, the `securitypolicyviolation` event. */
export async function watchCsp(page: Page) {
  if (watched.has(page)) return;
  watched.add(page);
  page.on("console", (message) => {
    if (/Content Security Policy|securitypolicyviolation/i.test(message.text())) {
      expect.soft(message.text(), `CSP violation on ${page.url()}`).toBe("");
    }
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI} in ${e.sourceFile}`);
    });
  });
}

/** Opens a page and, when JavaScript is on, waits until the WASM has hydrated it. Watches for CSP violations. */
export async function open(page: Page, testInfo: TestInfo, url: string) {
  await watchCsp(page);
  const response = await page.goto(url);
  if (hasJs(testInfo)) {
    await expect(page.locator("[data-hydrated=true]")).toHaveCount(1, { timeout: 15_000 });
  }
  return response;
}

/** WCAG 2.0/2.1/2.2 A and AA: zero violations.
 *
 * axe runs as a script in the page, which a JavaScript-disabled page cannot do; there it checks the same URL with the
 * same cookies in a script-enabled page whose WASM is blocked, i.e. exactly the server-rendered document. */
export async function expectAccessible(page: Page, testInfo: TestInfo) {
  let target = page;
  let extra: BrowserContext | undefined;
  if (!hasJs(testInfo)) {
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser");
    extra = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
    await extra.addCookies(await page.context().cookies());
    await extra.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    target = await extra.newPage();
    await target.goto(page.url());
  }
  try {
    const results = await new AxeBuilder({ page: target })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
      .analyze();
    const summary = results.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
    expect(summary).toEqual([]);
  } finally {
    await extra?.close();
  }
}

/** Nothing scrolls sideways (phones from 320 px). */
export async function expectNoSidewaysScroll(page: Page) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  expect(wide).toBe(false);
}

/** A mobile number no other test (or project) uses. */
export function freshMobile(): string {
  return "137" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

/** Registers a new citizen (resident ID 11010519491231002X); returns the mobile number it signs in with. */
export async function register(page: Page, testInfo: TestInfo, name: string, mobile = freshMobile()): Promise<string> {
  await open(page, testInfo, "/register");
  await page.getByLabel("手机号", { exact: true }).fill(mobile);
  await page.getByLabel("姓名").fill(name);
  await page.getByLabel("密码", { exact: true }).fill("correct horse battery");
  await page.getByLabel("再次输入密码").fill("correct horse battery");
  await page.getByLabel("居民身份证号码").fill("11010519491231002X");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("navigation", { name: "账号" }).getByRole("link", { name })).toBeVisible();
  return mobile;
}
