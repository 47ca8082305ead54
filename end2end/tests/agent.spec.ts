import { Browser, expect, Page, test, TestInfo } from "@playwright/test";
import { fillApplication } from "./filing";
import { expectAccessible, open, register } from "./helpers";

// 代办: a service-point agent asks a freshly registered resident for consent, cannot file for them before the
// resident confirms it in 我的授权, then files the restaurant case in the resident's name; the case is the
// resident's, both see it, and the resident sees who filed it. Every new page passes axe.

// One agent per project: an agent's open draft of a theme is continued, so parallel projects must not share one.
const AGENTS: Record<string, { login: string; name: string }> = {
  desktop: { login: "agent", name: "王五（村代办员）" },
  phone: { login: "agent2", name: "周七（社区代办员）" },
  "phone-nojs": { login: "agent3", name: "吴八（村代办员）" },
  "desktop-nojs": { login: "agent4", name: "郑九（社区代办员）" },
};

async function signIn(page: Page, testInfo: TestInfo, login: string, password: string) {
  await open(page, testInfo, "/login");
  await page.getByRole("textbox", { name: "账号" }).fill(login);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith("/login")),
    page.getByRole("button", { name: "登录" }).click(),
  ]);
}

/** A second browser with the project's screen and JavaScript setting (the agent's, beside the resident's). */
async function newPage(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const use = testInfo.project.use;
  const context = await browser.newContext({
    baseURL: use.baseURL,
    locale: use.locale,
    viewport: use.viewport,
    deviceScaleFactor: use.deviceScaleFactor,
    isMobile: use.isMobile,
    hasTouch: use.hasTouch,
    userAgent: use.userAgent,
    javaScriptEnabled: use.javaScriptEnabled,
  });
  return context.newPage();
}

const row = (page: Page, label: string) =>
  page.locator(".summary__row").filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) });

test("an agent files for a resident only with the resident's confirmed consent; both see the case", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const agent = AGENTS[testInfo.project.name] ?? AGENTS.desktop;
  const residentName = `居民${Math.floor(Math.random() * 1e6)}`;

  // The resident registers (this page stays the resident's).
  const mobile = await register(page, testInfo, residentName);

  // The agent, in a browser of their own, asks for consent.
  const agentPage = await newPage(browser, testInfo);
  await signIn(agentPage, testInfo, agent.login, "demo-agent-2026");
  await open(agentPage, testInfo, "/agent");
  await expect(agentPage.getByRole("heading", { level: 1 })).toHaveText("代办服务");
  await expectAccessible(agentPage, testInfo);

  // A typo in the ID number: a specific message, the name kept.
  await agentPage.getByLabel("居民身份证号码").fill("110105194912310021");
  await agentPage.getByLabel("居民姓名").fill(residentName);
  await agentPage.getByLabel("居民手机号").fill(mobile);
  await agentPage.getByLabel("代办事项（主题服务）").selectOption({ label: "开办餐饮店" });
  await agentPage.getByRole("button", { name: "发送授权请求" }).click();
  await expect(agentPage.getByRole("alert").getByRole("link", { name: "居民身份证号码的校验位不对，请逐位核对" })).toBeVisible();
  await expect(agentPage.getByLabel("居民姓名")).toHaveValue(residentName);
  await expectAccessible(agentPage, testInfo);

  await agentPage.getByLabel("居民身份证号码").fill("11010519491231002X");
  await agentPage.getByLabel("居民手机号").fill(mobile);
  await agentPage.getByRole("button", { name: "发送授权请求" }).click();
  await expect(agentPage.locator(".panel--success")).toContainText("授权请求已发送");
  const pending = agentPage.locator(".consent").filter({ hasText: residentName }).first();
  await expect(pending).toContainText("待居民确认");

  // The agent fills the application; without the resident's confirmation there is no one to file for.
  await fillApplication(agentPage, testInfo, residentName);
  const checkUrl = agentPage.url();
  await expect(agentPage.getByRole("radio", { name: new RegExp(residentName) })).toHaveCount(0);

  // The resident confirms in 我的授权.
  await open(page, testInfo, "/my");
  await page.getByRole("link", { name: "我的授权（代办）" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的授权");
  const request = page.locator(".consent").filter({ hasText: agent.name }).first();
  await expect(request).toContainText("待居民确认");
  await expectAccessible(page, testInfo);
  await request.getByRole("button", { name: "同意授权" }).click();
  await expect(page.locator(".panel--success")).toHaveText("已同意授权。");
  await expect(page.locator(".consent").filter({ hasText: agent.name }).first()).toContainText("已授权");

  // Now the agent files for the resident: the same draft, nothing retyped.
  await open(agentPage, testInfo, checkUrl);
  await agentPage.getByRole("radio", { name: new RegExp(residentName) }).check();
  await expectAccessible(agentPage, testInfo);
  await agentPage.getByRole("button", { name: "确认并提交申请" }).click();
  await expect(agentPage.getByRole("heading", { level: 1 })).toHaveText("申请已提交");
  const number = (await agentPage.locator(".case-number").first().innerText()).trim();
  await expect(row(agentPage, "居民").locator("dd")).toHaveText(residentName);
  // The lookup code is the resident's, not the agent's.
  await expect(row(agentPage, "查询码")).toHaveCount(0);
  await open(agentPage, testInfo, "/my");
  await expect(agentPage.getByRole("link", { name: new RegExp(number) })).toBeVisible();

  // The case is the resident's: in their list, and its page says who filed it.
  await open(page, testInfo, "/my");
  await page.getByRole("link", { name: new RegExp(number) }).click();
  await expect(page.getByText(`由代办员 ${agent.name} 代办`)).toBeVisible();
  await expect(row(page, "查询码")).toHaveCount(1);
  await expectAccessible(page, testInfo);

  // The resident revokes: the agent no longer sees the case.
  await open(page, testInfo, "/my/consents");
  await page.locator(".consent").filter({ hasText: agent.name }).first().getByRole("button", { name: "撤销授权" }).click();
  await expect(page.locator(".panel--success")).toContainText("已撤销授权");
  await open(agentPage, testInfo, `/cases/${number}`);
  await expect(agentPage.getByRole("heading", { level: 1 })).toHaveText("找不到这个办件");
  await agentPage.context().close();
});
