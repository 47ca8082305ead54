import { Browser, expect, Page, test, TestInfo } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, hasJs, open } from "./helpers";

// Administration (管理) as the demo administrator. The four projects run in parallel against one database, so every
// account and token made here has a name of its own.

const ADMIN = { login: "admin", password: "demo-admin-2026", name: "吴刚（系统管理员）" };

/** Unique per test run and project: a valid login name. */
function unique(prefix: string, testInfo: TestInfo): string {
  const rand = Math.floor(Math.random() * 1e8).toString(36);
  return `${prefix}-${testInfo.project.name}-${Date.now().toString(36)}-${rand}`;
}

function freshMobile(): string {
  return "137" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

const header = (page: Page) => page.getByRole("navigation", { name: "账号" });

/** Signs in and, unless `refused`, waits until the header shows it (the form posts; the server redirects). */
async function signIn(page: Page, testInfo: TestInfo, login: string, password: string, next = "/", refused = false) {
  await open(page, testInfo, `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("账号（登录名或手机号）").fill(login);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  if (!refused) await expect(header(page).getByRole("button", { name: "退出" })).toBeVisible();
}

async function newPage(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: testInfo.project.use.viewport ?? undefined,
    javaScriptEnabled: hasJs(testInfo),
    locale: "zh-CN",
  });
  return ctx.newPage();
}

test.describe("administration", () => {
  // Each test walks several pages and runs axe on most of them; on two shared cores that takes longer than the
  // default minute.
  test.slow();

  test("create an officer, move them to another department, disable them: their session ends and sign-in fails", async ({ page, browser }, testInfo) => {
    await signIn(page, testInfo, ADMIN.login, ADMIN.password);
    await header(page).getByRole("link", { name: "管理", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("系统管理");
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, testInfo);
    // The header with the admin's links still fits a 320 px phone.
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 320, height: 700 });
    await expectNoSidewaysScroll(page);
    await expect(header(page).getByRole("link", { name: "管理", exact: true })).toBeVisible();
    if (viewport) await page.setViewportSize(viewport);

    await page.getByRole("link", { name: "账号管理" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("账号管理");
    await expectAccessible(page, testInfo);
    await page.getByRole("link", { name: "新建工作人员账号" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("新建工作人员账号");
    await expectAccessible(page, testInfo);

    // Mistakes: each field says what is wrong, what was typed stays.
    const login = unique("off", testInfo);
    const name = `测试窗口${Math.floor(Math.random() * 1e6)}`;
    await page.getByLabel("登录名").fill("X");
    await page.getByLabel("姓名").fill(name);
    await page.getByLabel("岗位角色").selectOption({ label: "部门窗口人员" });
    await page.getByLabel("初始密码").fill("short");
    await page.getByLabel("再次输入密码").fill("short");
    await page.getByRole("button", { name: "创建账号" }).click();
    await expect(page).toHaveTitle(/^错误：/);
    const alert = page.getByRole("alert");
    await expect(alert).toContainText("登录名应为 3–32 位小写字母");
    await expect(alert).toContainText("部门窗口人员必须选择所属部门");
    await expect(alert).toContainText("密码至少 8 个字符");
    await expect(alert).not.toContainText("姓名");
    await expect(page.getByLabel("登录名")).toHaveValue("X");
    await expect(page.getByLabel("姓名")).toHaveValue(name);
    await expect(page.getByLabel("岗位角色")).toHaveValue("officer");
    await expect(page.getByLabel("初始密码")).toHaveValue("");
    await expectAccessible(page, testInfo);

    // Right: the password is generated and shown once.
    await page.getByLabel("登录名").fill(login);
    await page.getByLabel("所属部门").selectOption({ label: "示范市市场监督管理局" });
    await page.getByRole("button", { name: "创建账号" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    await expect(page.getByRole("status").filter({ hasText: "账号已创建。" })).toBeVisible();
    const secret = page.getByRole("region", { name: "新密码（只显示这一次）" }).locator("code");
    const password = (await secret.innerText()).trim();
    expect(password).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await expect(page.getByRole("definition").filter({ hasText: "示范市市场监督管理局" })).toBeVisible();
    await expectAccessible(page, testInfo);
    const accountUrl = page.url().replace(/\?.*$/, "");

    // The new officer signs in elsewhere.
    const officer = await newPage(browser, testInfo);
    await signIn(officer, testInfo, login, password, "/account");
    await expect(officer.getByRole("heading", { level: 1 })).toHaveText("我的账号");
    await expect(officer.getByText("示范市市场监督管理局")).toBeVisible();

    // Assign another department.
    await page.getByLabel("所属部门").selectOption({ label: "示范市消防救援支队" });
    await page.getByRole("button", { name: "保存岗位与部门" }).click();
    await expect(page.getByRole("status").filter({ hasText: "岗位与部门已保存。" })).toBeVisible();
    await expect(page.getByRole("definition").filter({ hasText: "示范市消防救援支队" })).toBeVisible();
    await expect(page.getByRole("region", { name: "新密码（只显示这一次）" })).toHaveCount(0);
    await expect(page.getByRole("cell", { name: "更改岗位与部门" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "officer/samr → officer/fire" })).toBeVisible();

    // Disable: the officer's session ends at once.
    await page.getByRole("button", { name: "停用此账号" }).click();
    await expect(page.getByRole("status").filter({ hasText: "账号已停用" })).toBeVisible();
    await expect(page.getByRole("definition").filter({ hasText: "已停用" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "停用账号" })).toBeVisible();
    await expect(page.getByRole("cell", { name: ADMIN.name }).first()).toBeVisible();
    await expect(page.getByRole("cell", { name: "创建账号" })).toBeVisible();
    await expectAccessible(page, testInfo);

    await open(officer, testInfo, "/account");
    await expect(officer).toHaveURL(/\/login\?next=%2Faccount$/);
    await signIn(officer, testInfo, login, password, "/", true);
    await expect(officer.getByRole("alert")).toContainText("此账号已停用");
    await officer.context().close();

    // The list finds it by part of its login name, with its status.
    await open(page, testInfo, `/admin/accounts?q=${encodeURIComponent(login.slice(0, -2).toUpperCase())}`);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: login }) });
    await expect(row).toContainText("已停用");
    await expect(row).toContainText("示范市消防救援支队");
    await row.getByRole("link", { name: login }).click();
    await expect(page).toHaveURL(accountUrl);
  });

  test("an administrator cannot disable or demote themselves", async ({ page }, testInfo) => {
    await signIn(page, testInfo, ADMIN.login, ADMIN.password);
    await open(page, testInfo, "/admin/accounts?role=admin&q=admin");
    await page.getByRole("link", { name: "admin", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(ADMIN.name);
    await expect(page.getByText("这是您自己的账号")).toBeVisible();

    await page.getByRole("button", { name: "停用此账号" }).click();
    await expect(page.getByRole("alert")).toContainText("不能停用您自己的账号");
    await expect(page).toHaveTitle(/^错误：/);
    await expectAccessible(page, testInfo);

    await page.getByLabel("岗位角色").selectOption({ label: "综合窗口人员" });
    await page.getByRole("button", { name: "保存岗位与部门" }).click();
    await expect(page.getByRole("alert")).toContainText("不能取消您自己的管理员角色");
    await expect(page.getByRole("definition").filter({ hasText: "系统管理员" })).toBeVisible();
    await expect(header(page).getByRole("link", { name: "管理", exact: true })).toBeVisible();
  });

  test("an API token is shown once, listed by its prefix, and revoked", async ({ page }, testInfo) => {
    await signIn(page, testInfo, ADMIN.login, ADMIN.password);
    await open(page, testInfo, "/admin/tokens");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("API 令牌");
    await expectAccessible(page, testInfo);

    await page.getByRole("button", { name: "创建令牌" }).click();
    await expect(page.getByRole("alert")).toContainText("请填写令牌名称");
    await expect(page.getByRole("alert")).toContainText("请选择部门");
    await expectAccessible(page, testInfo);

    const name = unique("系统", testInfo);
    await page.getByLabel("名称").fill(name);
    await page.getByLabel("部门", { exact: true }).selectOption({ label: "示范市水务局" });
    await page.getByRole("button", { name: "创建令牌" }).click();
    await expect(page.getByRole("status").filter({ hasText: "API 令牌已创建。" })).toBeVisible();
    const secret = (await page.getByRole("region", { name: "新令牌（只显示这一次）" }).locator("code").innerText()).trim();
    expect(secret).toMatch(/^hall_[A-Za-z0-9_-]{43}$/);
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
    await expect(row).toContainText(secret.slice(0, 13));
    await expect(row).not.toContainText(secret.slice(13));
    await expect(row).toContainText("有效");
    await expect(row).toContainText("从未使用");
    await expectAccessible(page, testInfo);

    // Shown once: reading the page again does not show it.
    await open(page, testInfo, "/admin/tokens");
    await expect(page.getByRole("region", { name: "新令牌（只显示这一次）" })).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);

    await row.getByRole("button", { name: `吊销 ${name}` }).click();
    await expect(page.getByRole("status").filter({ hasText: "API 令牌已吊销" })).toBeVisible();
    await expect(row).toContainText("已吊销");
    await expect(row.getByRole("button")).toHaveCount(0);
  });

  test("a citizen is refused; the administrator sees the citizen's numbers masked", async ({ page, browser }, testInfo) => {
    const mobile = freshMobile();
    const name = `测试市民${Math.floor(Math.random() * 1e6)}`;
    await open(page, testInfo, "/register");
    await page.getByLabel("手机号", { exact: true }).fill(mobile);
    await page.getByLabel("姓名").fill(name);
    await page.getByLabel("密码", { exact: true }).fill("correct horse battery");
    await page.getByLabel("再次输入密码").fill("correct horse battery");
    await page.getByLabel("居民身份证号码").fill("11010519491231002X");
    await page.getByRole("button", { name: "注册" }).click();
    await expect(header(page).getByRole("link", { name })).toBeVisible();
    await expect(header(page).getByRole("link", { name: "管理", exact: true })).toHaveCount(0);

    for (const url of ["/admin", "/admin/accounts", "/admin/tokens", "/admin/accounts/1"]) {
      const response = await open(page, testInfo, url);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("无权访问");
    }
    await expectAccessible(page, testInfo);

    const admin = await newPage(browser, testInfo);
    await signIn(admin, testInfo, ADMIN.login, ADMIN.password);
    await open(admin, testInfo, `/admin/accounts?role=citizen&q=${mobile}`);
    const row = admin.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
    await expect(row).toContainText("1101**********002X");
    expect(await admin.locator("main").innerText()).not.toContain("11010519491231002X");
    await expectNoSidewaysScroll(admin);
    await expectAccessible(admin, testInfo);
    await admin.context().close();
  });
});
