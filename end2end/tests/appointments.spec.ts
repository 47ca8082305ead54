import { expect, Page, test, TestInfo } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, open, register } from "./helpers";

// 预约取号 across roles: a citizen books a slot from an item's guide, sees the queue number, changes the
// appointment; then the window of that day calls the next number and sees it. The window's list is of "today", so
// a supervisor moves the shared demo clock to the appointment's day (and back): this spec runs in its own projects,
// after the workbench ones (see playwright.config.ts), one test at a time.
test.describe.configure({ mode: "serial" });

const ITEM = "samr-business-registration";

/** Today in Beijing, as the server counts days. */
function beijingToday(): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

async function signIn(page: Page, testInfo: TestInfo, login: string, password: string, next: string) {
  await page.context().clearCookies();
  await open(page, testInfo, `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("账号（登录名或手机号）").fill(login);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("navigation", { name: "账号" }).getByRole("button", { name: "退出" })).toBeVisible();
}

async function setClock(page: Page, testInfo: TestInfo, days: number) {
  await signIn(page, testInfo, "supervisor", "demo-supervisor-2026", "/supervision");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("电子监察");
  await page.getByLabel("时钟前移天数").fill(String(days));
  await page.getByRole("button", { name: "设置" }).click();
  await expect(page.getByLabel("时钟前移天数")).toHaveValue(String(days));
}

/** Date, then time: the last day offered (today may have one time or none left late in the afternoon, so the
 * test would depend on when it runs), then the `nth` time still open; submits with `button`. */
async function chooseDayAndTime(page: Page, testInfo: TestInfo, nth: number, button: string) {
  const days = page.getByRole("group", { name: "选择日期" });
  await expect(days).toBeVisible();
  await expectAccessible(page, testInfo);
  await days.getByRole("radio").last().check();
  await page.getByRole("button", { name: "下一步" }).click();
  const times = page.getByRole("group", { name: "选择时段" });
  await expect(times).toBeVisible();
  await expectAccessible(page, testInfo);
  await expectNoSidewaysScroll(page);
  await times.locator("input[type=radio]:not([disabled])").nth(nth).check();
  await page.getByRole("button", { name: button }).click();
}

test("a citizen books and changes an appointment; the window calls the number", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const h1 = page.getByRole("heading", { level: 1 });
  await register(page, testInfo, `预约${Math.floor(Math.random() * 1e6)}`);

  // From the guide: centre, then day, then time (the second one open, so the change can move to the first).
  await open(page, testInfo, `/items/${ITEM}`);
  await page.getByRole("link", { name: "预约办理" }).click();
  await expect(h1).toHaveText("预约办理");
  await expectAccessible(page, testInfo);
  await page.getByRole("group", { name: "选择服务中心" }).getByLabel("示范市市民服务中心").check();
  await page.getByRole("button", { name: "下一步" }).click();
  await chooseDayAndTime(page, testInfo, 1, "确认预约");

  await expect(h1).toHaveText("预约确认");
  await expect(page.getByRole("status")).toContainText("预约成功");
  const first = (await page.locator(".queue-number__value").innerText()).trim();
  expect(first).toMatch(/^A\d{3}$/);
  await expect(page.getByText("示范市新城区市民大道 88 号", { exact: false })).toBeVisible();
  await expect(page.getByRole("heading", { name: "请携带" })).toBeVisible();
  await expectAccessible(page, testInfo);
  await expectNoSidewaysScroll(page);

  // 改约: the first open time; the new number replaces the old one.
  await page.getByRole("link", { name: `改约 ${first}` }).click();
  await expect(h1).toHaveText("改约");
  await expect(page.getByText("改约后，原预约将被取消")).toBeVisible();
  await chooseDayAndTime(page, testInfo, 0, "确认改约");
  await expect(h1).toHaveText("预约确认");
  await expect(page.getByRole("status")).toContainText("改约成功");
  const second = (await page.locator(".queue-number__value").innerText()).trim();
  expect(second).toMatch(/^A\d{3}$/);
  expect(second).not.toBe(first);
  const when = (await page.locator(".appointment time").getAttribute("datetime")) ?? "";
  expect(when).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);

  // 我的预约: the new one, with change and cancel; the old one is gone.
  await open(page, testInfo, "/appointments");
  await expect(h1).toHaveText("我的预约");
  await expect(page.getByRole("link", { name: new RegExp(`^${second}`) })).toBeVisible();
  await expect(page.getByRole("button", { name: `取消预约 ${second}` })).toBeVisible();
  await expect(page.getByRole("link", { name: new RegExp(`^${first}`) })).toHaveCount(0);
  await expectAccessible(page, testInfo);

  // The window on the appointment's day calls numbers in time order until it reaches ours.
  const offset = daysBetween(beijingToday(), when.slice(0, 10));
  expect(offset).toBeGreaterThanOrEqual(0);
  try {
    await setClock(page, testInfo, offset);
    await signIn(page, testInfo, "window", "demo-window-2026", "/work");
    await page.getByRole("link", { name: "今日预约" }).click();
    await expect(h1).toHaveText("今日预约");
    await expect(page.getByRole("rowheader", { name: second })).toBeVisible();
    await expectAccessible(page, testInfo);
    await expectNoSidewaysScroll(page);
    let called = "";
    for (let i = 0; i < 30 && called !== second; i++) {
      await page.getByRole("button", { name: "叫号 窗口 A" }).click();
      const status = page.getByRole("status");
      await expect(status).toContainText("已叫号：");
      called = (await status.locator("strong").innerText()).trim();
    }
    expect(called).toBe(second);
    await expect(page.getByRole("row", { name: new RegExp(second) })).toContainText("已叫号");
    await expect(page.locator(".window-card").first()).toContainText(second);
    // The citizen's appointment was called: it can no longer be changed.
  } finally {
    await setClock(page, testInfo, 0);
  }
});
