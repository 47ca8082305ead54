import { expect, Page, test } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, open } from "./helpers";

/** A mobile number no other test (or project) uses. */
function freshMobile(): string {
  return "139" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

async function signIn(page: Page, account: string, password: string) {
  await page.getByLabel("账号（登录名或手机号）").fill(account);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

const header = (page: Page) => page.getByRole("navigation", { name: "账号" });

test.describe("accounts and sessions", () => {
  test("register: a wrong mobile gets its own message and keeps the rest; fixed, the citizen is signed in", async ({ page }, testInfo) => {
    const name = `测试${Math.floor(Math.random() * 1e6)}`;
    await open(page, testInfo, "/register");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("注册");
    await expectAccessible(page, testInfo);

    await page.getByLabel("手机号", { exact: true }).fill("1380013800");
    await page.getByLabel("姓名").fill(name);
    await page.getByLabel("密码", { exact: true }).fill("correct horse battery");
    await page.getByLabel("再次输入密码").fill("correct horse battery");
    await page.getByLabel("居民身份证号码").fill("11010519491231002X");
    await page.getByRole("button", { name: "注册" }).click();

    await expect(page).toHaveTitle(/^错误：/);
    await expect(page.getByRole("alert")).toContainText("手机号应为 11 位数字");
    await expect(page.getByRole("alert")).not.toContainText("姓名");
    await expect(page.getByLabel("手机号", { exact: true })).toHaveValue("1380013800");
    await expect(page.getByLabel("姓名")).toHaveValue(name);
    await expect(page.getByLabel("居民身份证号码")).toHaveValue("11010519491231002X");
    await expect(page.getByLabel("密码", { exact: true })).toHaveValue("");
    await expectAccessible(page, testInfo);

    await page.getByLabel("手机号", { exact: true }).fill(freshMobile());
    await page.getByLabel("密码", { exact: true }).fill("correct horse battery");
    await page.getByLabel("再次输入密码").fill("correct horse battery");
    await page.getByRole("button", { name: "注册" }).click();

    await expect(page).toHaveURL(/\/$/);
    await expect(header(page).getByRole("link", { name })).toBeVisible();
    await expectNoSidewaysScroll(page);

    await header(page).getByRole("button", { name: "退出" }).click();
    await expect(header(page).getByRole("link", { name: "登录" })).toBeVisible();
    await expect(header(page).getByRole("link", { name })).toHaveCount(0);
  });

  test("a wrong password and an unknown account get the same message, and the account typed is kept", async ({ page }, testInfo) => {
    await open(page, testInfo, "/login");
    await expectAccessible(page, testInfo);
    await signIn(page, "citizen2", "not-the-password");
    await expect(page.getByRole("alert")).toContainText("账号或密码错误");
    await expect(page.getByLabel("账号（登录名或手机号）")).toHaveValue("citizen2");
    await expect(page.getByLabel("密码", { exact: true })).toHaveValue("");
    await expectAccessible(page, testInfo);

    await signIn(page, "no-such-account-here", "not-the-password");
    await expect(page.getByRole("alert")).toContainText("账号或密码错误");
    await expect(page.getByLabel("账号（登录名或手机号）")).toHaveValue("no-such-account-here");
  });

  test("/account sends a visitor to sign in and back; the window officer sees name and role", async ({ page }, testInfo) => {
    await open(page, testInfo, "/account");
    await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
    await expect(page.getByText("请先登录后继续。")).toBeVisible();

    await signIn(page, "window", "demo-window-2026");
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的账号");
    await expect(page.getByText("综合窗口人员", { exact: true })).toBeVisible();
    await expect(header(page).getByRole("link", { name: "赵敏（综合窗口）" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, testInfo);

    await header(page).getByRole("button", { name: "退出" }).click();
    await expect(header(page).getByRole("link", { name: "登录" })).toBeVisible();
    await open(page, testInfo, "/account");
    await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
  });

  test("next never leaves the site; sign out everywhere; sign in with the mobile number", async ({ page }, testInfo) => {
    const mobile = freshMobile();
    // A fresh citizen of this test only, so signing out everywhere touches no other test's sessions.
    await open(page, testInfo, "/register?next=%2F%2Fevil.example");
    await page.getByLabel("手机号", { exact: true }).fill(mobile);
    await page.getByLabel("姓名").fill("王五六");
    await page.getByLabel("密码", { exact: true }).fill("another good one");
    await page.getByLabel("再次输入密码").fill("another good one");
    await page.getByLabel("居民身份证号码").fill("11010519491231002X");
    await page.getByRole("button", { name: "注册" }).click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    await open(page, testInfo, "/account");
    await expect(page.getByText("市民", { exact: true })).toBeVisible();
    await page.getByRole("button", { name: "在所有设备上退出登录" }).click();
    await expect(page).toHaveURL(/\/login\?notice=everywhere$/);
    await expect(page.getByText("您已在所有设备上退出登录。")).toBeVisible();
    await expect(header(page).getByRole("link", { name: "登录" })).toBeVisible();

    // The same citizen signs in with the mobile number, as typed with spaces.
    await open(page, testInfo, "/login?next=%2Faccount");
    await signIn(page, `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`, "another good one");
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByText("王五六").first()).toBeVisible();
  });

  test("the signed-in header fits a 320 px phone", async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await open(page, testInfo, "/login");
    await signIn(page, "officer-culture", "demo-officer-2026");
    await expect(page).toHaveURL(/\/$/);
    await expect(header(page).getByRole("link", { name: "卫红（文化广电旅游局）" })).toBeVisible();
    await expect(header(page).getByRole("button", { name: "退出" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    const height = await page.locator("header").evaluate((h) => h.getBoundingClientRect().height);
    // Four short rows (name, navigation, account, settings): 224 px when written.
    expect(height).toBeLessThan(260);
  });
});
