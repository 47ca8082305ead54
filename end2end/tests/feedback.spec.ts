import { Browser, expect, Page, test, TestInfo } from "@playwright/test";
import { fileCase, freshMobile } from "./filing";
import { expectAccessible, expectNoSidewaysScroll, hasJs, open, register } from "./helpers";

// Evaluation (好差评) and consultation (咨询) across roles, JavaScript on and off, phone and desktop. Nothing here
// moves the demo clock: deadlines are read, never waited for. Several projects share the demo officers, so every
// check finds this run's own case or question.

const OFFICER_PW = "demo-officer-2026";

async function signIn(page: Page, testInfo: TestInfo, login: string, password: string, next = "/") {
  await open(page, testInfo, `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("账号（登录名或手机号）").fill(login);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("navigation", { name: "账号" }).getByRole("button", { name: "退出" })).toBeVisible();
}

async function newPage(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: testInfo.project.use.viewport ?? undefined,
    javaScriptEnabled: hasJs(testInfo),
    locale: "zh-CN",
  });
  return ctx.newPage();
}

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });

test("rating with follow-up: a poor rating goes to the department, which responds; a second rating is refused", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const name = `评价${Math.floor(Math.random() * 1e6)}`;
  const { number } = await fileCase(page, testInfo, freshMobile(), name);

  // Nothing has ended yet: the case page offers no rating form.
  await open(page, testInfo, `/cases/${number}`);
  await expect(page.getByRole("heading", { name: "评价（好差评）" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^提交评价/ })).toHaveCount(0);

  // The window accepts; 市场监管 approves the licence.
  const staff = await newPage(browser, testInfo);
  await signIn(staff, testInfo, "window", "demo-window-2026", `/work/cases/${number}`);
  await staff.getByRole("button", { name: "受理", exact: true }).click();
  await expect(staff.getByRole("status").filter({ hasText: "已办理" })).toBeVisible();
  await signIn(staff, testInfo, "officer-samr", OFFICER_PW, `/work/cases/${number}`);
  await staff.locator("#task-licence").getByRole("button", { name: "准予许可" }).click();
  // Wait for the server's answer: the button's own label would satisfy a text check before the approval lands.
  await expect(staff.getByRole("status").filter({ hasText: "已办理" })).toBeVisible();
  await expect(staff.locator("#task-licence").getByRole("button", { name: "准予许可" })).toHaveCount(0);

  // The owner rates the licence 不满意 with a comment.
  await open(page, testInfo, `/cases/${number}`);
  const licence = page.locator("#rate-licence");
  await expect(licence.getByRole("group")).toBeVisible();
  await expectAccessible(page, testInfo);
  await expectNoSidewaysScroll(page);
  const form = licence.locator("form");
  const action = (await form.getAttribute("action")) ?? "";
  await licence.getByLabel("不满意", { exact: true }).check();
  await licence.getByLabel("评价意见（选填）").fill("补正来回了好几次");
  await licence.getByRole("button", { name: /^提交评价/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "感谢您的评价。" })).toBeVisible();
  await expect(licence).toContainText("您的评价：不满意");
  await expect(licence).toContainText("已转责任部门整改，答复期限：");
  await expect(licence.getByRole("button", { name: /^提交评价/ })).toHaveCount(0);

  // The same form posted again (a second tab, a replay) is refused with a clear message; the rating stays.
  const replay = await page.request.post(action, {
    form: { number, step: "licence", level: "very_satisfied", comment: "" },
    headers: { Accept: "text/html", Origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect(replay.status()).toBe(302);
  const refused = replay.headers()["location"] ?? "";
  expect(refused).toContain("feedback_problem=already_rated");
  await open(page, testInfo, refused);
  await expect(page.getByRole("alert")).toContainText("您已经评价过，每项只能评价一次，原评价未改变。");
  await expect(licence).toContainText("您的评价：不满意");

  // Supervision sees the open follow-up with its deadline.
  const supervisor = await newPage(browser, testInfo);
  await signIn(supervisor, testInfo, "supervisor", "demo-supervisor-2026", "/supervision");
  const followUps = supervisor.locator("section.feedback-queue").first();
  await expect(followUps.getByRole("heading", { name: "整改任务（差评）" })).toBeVisible();
  const line = followUps.locator("li").filter({ hasText: number });
  await expect(line).toContainText("不满意");
  await expect(line).toContainText("期限");

  // 市场监管's workbench lists it; the officer responds and closes it.
  await open(staff, testInfo, "/work");
  const own = staff.locator("section.feedback-queue").first().locator("li").filter({ hasText: number });
  await expect(own).toBeVisible();
  await own.getByRole("link").click();
  await expect(h1(staff)).toHaveText("整改任务");
  await expect(staff.locator(".summary")).toContainText("补正来回了好几次");
  await expectAccessible(staff, testInfo);
  await expectNoSidewaysScroll(staff);
  // An empty response is refused with its own message.
  await staff.getByRole("button", { name: "提交答复并结束整改" }).click();
  await expect(staff.getByRole("alert")).toContainText("请填写内容。");
  await staff.getByLabel("整改答复", { exact: true }).fill("已核实：今后补正材料一次性告知。");
  await staff.getByRole("button", { name: "提交答复并结束整改" }).click();
  await expect(staff.getByRole("status").filter({ hasText: "已提交答复，整改任务结束。" })).toBeVisible();
  await expect(staff.getByRole("button", { name: "提交答复并结束整改" })).toHaveCount(0);

  // Another department's officer cannot open it.
  const followUpUrl = new URL(staff.url()).pathname;
  await signIn(staff, testInfo, "officer-tax", OFFICER_PW, followUpUrl);
  await expect(h1(staff)).toHaveText("无权访问");

  // The owner is notified and reads the response on the case page.
  await open(page, testInfo, "/notifications");
  await expect(page.getByText("部门已就您的评价作出整改答复。").first()).toBeVisible();
  await open(page, testInfo, `/cases/${number}`);
  await expect(licence).toContainText("部门整改答复：");
  await expect(licence).toContainText("已核实：今后补正材料一次性告知。");

  // The department's performance page counts the rating.
  await open(supervisor, testInfo, "/departments/samr/performance");
  await expect(supervisor.getByRole("heading", { name: "好差评" })).toBeVisible();
  await expect(supervisor.locator(".ratings .summary__row").filter({ hasText: /^不满意/ }).locator("dd")).not.toHaveText("0");
  await expect(supervisor.locator(".ratings .summary__row").filter({ hasText: "满意率" }).locator("dd")).toContainText("%");
  await supervisor.context().close();
  await staff.context().close();
});

test("consultation to FAQ: a question on an item reaches its department, is answered and published", async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const tag = Math.floor(Math.random() * 1e9).toString(36);
  await register(page, testInfo, `咨询${Math.floor(Math.random() * 1e6)}`);

  // 我要咨询 from the item's guide.
  await open(page, testInfo, "/items/samr-business-registration");
  await expect(page.getByRole("heading", { name: "常见问题" })).toBeVisible();
  await page.getByRole("link", { name: "我要咨询" }).click();
  await expect(h1(page)).toHaveText("我要咨询");
  await expect(page.getByText("3 个工作日")).toBeVisible();
  await expectAccessible(page, testInfo);
  await expectNoSidewaysScroll(page);
  // An empty question is refused with its own message.
  await page.getByRole("button", { name: "提交咨询" }).click();
  await expect(page.getByRole("alert")).toContainText("请填写咨询内容。");
  await page.getByLabel("咨询内容").fill(`个体户设立登记要带哪些材料？我叫王五（${tag}）`);
  await page.getByRole("button", { name: "提交咨询" }).click();
  await expect(h1(page)).toHaveText("我的咨询");
  await expect(page.getByRole("status")).toContainText("咨询已提交");
  const mine = page.locator("li.consultation-item").filter({ hasText: tag });
  await expect(mine).toContainText("待答复");
  await expectAccessible(page, testInfo);
  const id = ((await mine.getAttribute("id")) ?? "").replace("consultation-", "");
  expect(id).toMatch(/^\d+$/);

  // Another department's officer cannot open or answer it.
  const staff = await newPage(browser, testInfo);
  await signIn(staff, testInfo, "officer-tax", OFFICER_PW, `/work/consultations/${id}`);
  await expect(h1(staff)).toHaveText("无权访问");

  // 市场监管 answers, then publishes an edited version without the name.
  await signIn(staff, testInfo, "officer-samr", OFFICER_PW, "/work");
  await expect(staff.locator("section.feedback-queue").nth(1).locator(`a[href="/work/consultations/${id}"]`)).toBeVisible();
  await open(staff, testInfo, `/work/consultations/${id}`);
  await expect(h1(staff)).toHaveText("咨询答复");
  await expect(staff.getByText(tag).first()).toBeVisible();
  await expectAccessible(staff, testInfo);
  await staff.getByLabel("答复内容").fill(`身份证件、经营场所证明和登记申请书（${tag}）。`);
  await staff.getByRole("button", { name: "提交答复" }).click();
  await expect(staff.getByRole("status").filter({ hasText: "已答复" })).toBeVisible();
  await expect(staff.getByRole("button", { name: "提交答复" })).toHaveCount(0);
  await staff.getByLabel("问题（发布文字）").fill(`个体户设立登记要带哪些材料？（${tag}）`);
  await staff.getByRole("button", { name: "发布到办事指南" }).click();
  await expect(staff.getByRole("status").filter({ hasText: "已发布为常见问题。" })).toBeVisible();
  await expectAccessible(staff, testInfo);

  // The asker is notified and reads the answer on 我的咨询.
  await open(page, testInfo, "/notifications");
  await expect(page.getByText("您的咨询已有答复").first()).toBeVisible();
  await open(page, testInfo, "/consultations");
  await expect(mine).toContainText("已答复");
  await expect(mine).toContainText("身份证件、经营场所证明和登记申请书");

  // The FAQ is on the item page, as edited: the asker's name is not.
  await open(page, testInfo, "/items/samr-business-registration");
  const faq = page.locator(".faq-list");
  await expect(faq).toContainText(`个体户设立登记要带哪些材料？（${tag}）`);
  await expect(faq).not.toContainText("王五");
  await staff.context().close();
});
