import { Browser, expect, Page, test, TestInfo } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, hasJs, open } from "./helpers";

// The whole restaurant case across roles. It moves the shared demo clock, so it runs in its own projects, one
// after the other (see playwright.config.ts): desktop with JavaScript, then phone without; within a run, one test
// at a time.
test.describe.configure({ mode: "serial" });

const OFFICER_PW = "demo-officer-2026";
const ANSWERS =
  "a.entity=sole&a.applicant_age=35&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=0";
const PROMISED = "消防安全制度、灭火和应急疏散预案";
const ID_MATERIAL = "法定代表人（经营者）身份证件";
// The smallest PNG the server's content check accepts (signature and IHDR).
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");

function freshMobile(): string {
  return "136" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

async function signIn(page: Page, testInfo: TestInfo, login: string, password: string, next = "/") {
  await open(page, testInfo, `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("账号（登录名或手机号）").fill(login);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("navigation", { name: "账号" }).getByRole("button", { name: "退出" })).toBeVisible();
}

/** A new citizen files the smallest restaurant application (sole trader); returns the case number. */
async function fileCase(page: Page, testInfo: TestInfo, mobile: string, name: string): Promise<string> {
  await open(page, testInfo, "/register");
  await page.getByLabel("手机号", { exact: true }).fill(mobile);
  await page.getByLabel("姓名").fill(name);
  await page.getByLabel("密码", { exact: true }).fill("correct horse battery");
  await page.getByLabel("再次输入密码").fill("correct horse battery");
  await page.getByLabel("居民身份证号码").fill("11010519491231002X");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("navigation", { name: "账号" }).getByRole("link", { name })).toBeVisible();

  await open(page, testInfo, `/themes/open-restaurant/apply?${ANSWERS}`);
  await page.getByRole("button", { name: "开始填写申请" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("填写申请");
  await page.getByRole("link", { name: "申请人", exact: true }).click();
  await page.getByLabel("申请人姓名").fill(name);
  await page.getByLabel("申请人身份证号码").fill("11010519491231002X");
  await page.getByLabel("联系电话").fill("13800138000");
  await page.getByLabel("法定代表人（经营者）姓名").fill(name);
  await page.getByLabel("法定代表人（经营者）身份证号码").fill("11010519491231002X");
  await page.getByRole("button", { name: "保存并继续" }).click();
  // The remaining sections: fill what each asks, then save, until the materials page.
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).not.toHaveText("申请人");
  for (let i = 0; i < 8; i++) {
    const h1 = (await heading.innerText()).trim();
    if (h1 === "申请材料") break;
    const fillIfEmpty = async (label: string, value: string) => {
      const field = page.getByLabel(label, { exact: true });
      if ((await field.count()) > 0 && (await field.inputValue()) === "") await field.fill(value);
    };
    await fillIfEmpty("企业（字号）名称", "示范小馆");
    await fillIfEmpty("经营范围", "餐饮服务");
    await fillIfEmpty("经营场所地址", "示范市中山路 2 号");
    await page.getByRole("button", { name: "保存并继续" }).click();
    await expect(heading).not.toHaveText(h1);
  }
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("申请材料");
  await page.getByRole("link", { name: "继续：核对并提交" }).click();
  await page.getByRole("button", { name: "确认并提交申请" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("申请已提交");
  return (await page.locator(".case-number").first().innerText()).trim();
}

const task = (page: Page, step: string) => page.locator(`#task-${step}`);

async function expectDone(page: Page) {
  await expect(page.getByRole("status").filter({ hasText: "已办理" })).toBeVisible();
}

/** An officer approves every task of theirs on the case that is in review. */
async function approveAll(page: Page, testInfo: TestInfo, number: string) {
  for (let i = 0; i < 6; i++) {
    await open(page, testInfo, `/work/cases/${number}`);
    const approve = page.getByRole("button", { name: "准予许可" });
    if ((await approve.count()) === 0) return;
    await approve.first().click();
    await expectDone(page);
  }
}

async function newPage(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: testInfo.project.use.viewport ?? undefined,
    javaScriptEnabled: hasJs(testInfo),
    locale: "zh-CN",
  });
  return ctx.newPage();
}

test("the restaurant case across roles: 容缺 acceptance, unlocking, a correction, hand-over, supervision", async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const mobile = freshMobile();
  const name = `店主${Math.floor(Math.random() * 1e6)}`;
  const number = await fileCase(page, testInfo, mobile, name);
  // The citizen keeps the case page open in a browser of their own.
  const citizen = await newPage(browser, testInfo);
  await signIn(citizen, testInfo, mobile, "correct horse battery", `/cases/${number}`);
  await expect(citizen.getByRole("heading", { level: 1 })).toHaveText("办件进度");
  await expect(citizen.getByText("已提交").first()).toBeVisible();
  // What the live poll compares: the page carries the fingerprint of what it shows, and the status read the poll
  // makes (a few dozen bytes) answers the same one while nothing changed, so the page is not downloaded again.
  const shown = async () => (await citizen.locator("[data-live-token]").getAttribute("data-live-token")) ?? "";
  const polled = async () => {
    const answer = await citizen.request.post("/api/case_status", {
      form: { number, lang: "Zh" },
      headers: { Accept: "application/json", Origin: new URL(citizen.url()).origin },
    });
    expect(answer.status()).toBe(200);
    return ((await answer.json()) as { Ready?: { fingerprint: string } }).Ready?.fingerprint;
  };
  const filed = await shown();
  expect(filed).toMatch(/^[0-9a-f]{16}$/);
  expect(await polled()).toBe(filed);
  if (hasJs(testInfo)) {
    // While nothing changes, the poll asks for the status only: the page is not downloaded again.
    await expect(citizen.locator("[data-hydrated=true]")).toHaveCount(1);
    const pages: string[] = [];
    citizen.on("request", (r) => {
      if (r.method() === "GET" && new URL(r.url()).pathname === `/cases/${number}`) pages.push(r.url());
    });
    await citizen.waitForResponse((r) => r.url().endsWith("/api/case_status") && r.ok(), { timeout: 15_000 });
    await citizen.waitForTimeout(1_000);
    expect(pages).toEqual([]);
  }

  // A citizen cannot open the workbench.
  await open(page, testInfo, "/work");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("无权访问");

  // The window: the queue lists the case; it is accepted with the fire plan to follow (容缺).
  await signIn(page, testInfo, "window", "demo-window-2026", "/work?filter=new");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作台");
  await expectAccessible(page, testInfo);
  await expectNoSidewaysScroll(page);
  await page.getByRole("link", { name: number }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("办件审查");
  await expectAccessible(page, testInfo);
  const shortfall = page.locator("form").filter({ has: page.getByRole("button", { name: "容缺受理" }) });
  await shortfall.getByLabel(PROMISED).check();
  const latest = (await shortfall.getByLabel("补交期限").getAttribute("max")) ?? "";
  await shortfall.getByLabel("补交期限").fill(latest);
  await shortfall.getByRole("button", { name: "容缺受理" }).click();
  await expectDone(page);
  await expect(page.locator("dd").filter({ hasText: "容缺受理" })).toBeVisible();
  await expect(task(page, "licence")).toContainText("审查中");
  await expect(task(page, "tax")).toContainText("等待前置事项");

  // The citizen's page follows without a reload when JavaScript runs (it polls every 10 s).
  if (!hasJs(testInfo)) await citizen.reload();
  await expect(citizen.locator("#task-licence")).toContainText("审查中", { timeout: 15_000 });
  await expect(citizen.getByRole("link", { name: "受理通知书" })).toBeVisible();
  expect(await shown()).not.toBe(filed);
  expect(await polled()).toBe(await shown());

  // Supervision: the licence task becomes overdue once the clock moves 30 days on.
  await signIn(page, testInfo, "supervisor", "demo-supervisor-2026", "/supervision");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("电子监察");
  try {
    await page.getByLabel("时钟前移天数").fill("30");
    await page.getByRole("button", { name: "设置" }).click();
    const overdue = page.locator("ol.queue").first();
    await expect(overdue.getByRole("link", { name: number })).toBeVisible();
    await expect(overdue).toContainText("已超承诺期限");
    await expectAccessible(page, testInfo);
    // By theme: the restaurant theme's row counts the overdue task.
    const themeRow = page
      .locator("#sup-themes tbody tr")
      .filter({ has: page.getByRole("rowheader", { name: "开办餐饮店", exact: true }) });
    await expect(themeRow).toHaveCount(1);
    await expect(themeRow.locator("td").nth(3)).not.toHaveText("0");
    // The overdue list filtered by theme and department still lists the case.
    await page.getByLabel("主题", { exact: true }).selectOption({ label: "开办餐饮店" });
    await page.getByLabel("部门", { exact: true }).selectOption({ label: "示范市市场监督管理局" });
    await page.getByRole("button", { name: "筛选" }).click();
    await expect(page).toHaveURL(/theme=open-restaurant/);
    await expect(page.locator("ol.queue").first().getByRole("link", { name: number })).toBeVisible();
    // The department's performance page, from the departments table.
    await page.locator("#sup-departments").getByRole("link", { name: "示范市市场监督管理局" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("部门办理效能");
    await expect(page.locator(".summary__row").filter({ hasText: "当前超期" }).locator("dd")).not.toHaveText("0");
    await expect(page.getByRole("link", { name: number })).toBeVisible();
    await expectAccessible(page, testInfo);
    await expectNoSidewaysScroll(page);
    // Supervision only reads: no action buttons on the case.
    await open(page, testInfo, `/work/cases/${number}`);
    await expect(page.getByText("此账号只能查看，不能办理。")).toBeVisible();
    await expect(page.getByRole("button", { name: "准予许可" })).toHaveCount(0);
  } finally {
    await open(page, testInfo, "/supervision");
    await page.getByLabel("时钟前移天数").fill("0");
    await page.getByRole("button", { name: "设置" }).click();
    await expect(page.getByLabel("时钟前移天数")).toHaveValue("0");
  }

  // 市场监管: another department's officer sees nothing to do; samr approves the licence, which unlocks the rest.
  await signIn(page, testInfo, "officer-tax", OFFICER_PW, `/work/cases/${number}`);
  await expect(task(page, "licence").getByRole("button")).toHaveCount(0);
  await signIn(page, testInfo, "officer-samr", OFFICER_PW, "/work");
  await expect(page.getByRole("link", { name: number }).first()).toBeVisible();
  await open(page, testInfo, `/work/cases/${number}`);
  await task(page, "licence").getByRole("button", { name: "准予许可" }).click();
  await expectDone(page);
  await expect(task(page, "licence")).toContainText("准予许可");
  await expect(task(page, "fire")).toContainText("审查中");
  await expect(task(page, "tax")).toContainText("审查中");
  await approveAll(page, testInfo, number);

  // 消防: approves. The same form posted again carries a stale version and is told who changed the task.
  await signIn(page, testInfo, "officer-fire", OFFICER_PW, `/work/cases/${number}`);
  const fireForm = task(page, "fire").locator("form").filter({ has: page.getByRole("button", { name: "准予许可" }) });
  const action = (await fireForm.getAttribute("action")) ?? "";
  const staleVersion = (await fireForm.locator('input[name="version"]').getAttribute("value")) ?? "";
  await fireForm.getByRole("button", { name: "准予许可" }).click();
  await expectDone(page);
  await expect(task(page, "fire")).toContainText("准予许可");
  const stale = await page.request.post(action, {
    form: { number, step: "fire", version: staleVersion, action: "approve" },
    // A replay from this site's page (a program must say where it posts from: cross-site posts are refused).
      headers: { Accept: "text/html", Origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect(stale.status()).toBe(302);
  const location = stale.headers()["location"] ?? "";
  expect(location).toContain("problem=conflict");
  await open(page, testInfo, location);
  await expect(page.getByRole("alert")).toContainText("请刷新页面");

  // A department's performance: its own officers may read it (linked from the catalog page), others may not.
  await signIn(page, testInfo, "officer-samr", OFFICER_PW, "/departments/samr");
  await page.getByRole("link", { name: "本部门办理效能（工作人员）" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("部门办理效能");
  await expect(page.locator(".summary__row").filter({ hasText: "已办结事项" }).locator("dd")).not.toHaveText("0");
  await open(citizen, testInfo, "/departments/samr");
  await expect(citizen.getByRole("heading", { level: 1 })).toHaveText("示范市市场监督管理局");
  await expect(citizen.getByRole("link", { name: "本部门办理效能（工作人员）" })).toHaveCount(0);
  await open(citizen, testInfo, "/departments/samr/performance");
  await expect(citizen.getByRole("heading", { level: 1 })).toHaveText("无权访问");
  await open(citizen, testInfo, `/cases/${number}`);

  // 税务 asks for a correction, one item naming a material; the citizen uploads it again and supplies it.
  await signIn(page, testInfo, "officer-tax", OFFICER_PW, "/departments/samr/performance");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("无权访问");
  await open(page, testInfo, `/work/cases/${number}`);
  await task(page, "tax")
    .getByLabel("需补正的内容（每行一项）")
    .fill(`财务负责人身份证明复印件不清晰\n${ID_MATERIAL}：请上传清晰的扫描件`);
  await task(page, "tax").getByRole("button", { name: "要求补正" }).click();
  await expectDone(page);
  await expect(task(page, "tax")).toContainText("待申请人补正");

  if (!hasJs(testInfo)) await citizen.reload();
  await expect(citizen.locator("#task-tax")).toContainText("财务负责人身份证明复印件不清晰", { timeout: 15_000 });
  await expect(citizen.getByRole("heading", { name: "您现在需要做的" })).toBeVisible();
  await expectAccessible(citizen, testInfo);
  // Handing in without the new file is refused, naming the material.
  await citizen.locator("#task-tax").getByRole("button", { name: "提交补正材料" }).click();
  await expect(citizen.getByRole("alert")).toContainText(`请先为以下材料上传新文件，再提交补正：${ID_MATERIAL}`);
  await expect(citizen.locator("#task-tax")).toContainText("待申请人补正");
  const uploads = citizen.locator("#correction-tax");
  await expect(uploads).toContainText("尚未上传新文件");
  await uploads.getByLabel("选择文件").setInputFiles({ name: "id-scan.png", mimeType: "image/png", buffer: PNG });
  await uploads.getByRole("button", { name: /上传/ }).click();
  await expect(citizen.getByRole("status").filter({ hasText: "已上传补正材料" })).toBeVisible();
  await expect(citizen.locator("#correction-tax").getByRole("link", { name: "id-scan.png" })).toBeVisible();
  await expectAccessible(citizen, testInfo);
  await citizen.locator("#task-tax").getByRole("button", { name: "提交补正材料" }).click();
  await expect(citizen.locator("#task-tax")).toContainText("审查中");
  await citizen.getByRole("button", { name: "补齐容缺材料" }).click();
  await expect(citizen.getByRole("status").filter({ hasText: "补齐容缺材料" })).toBeVisible();
  // The applicant's own to-dos (filing, bank appointment).
  for (let i = 0; i < 4; i++) {
    const done = citizen.getByRole("button", { name: "标记为已办理" });
    if ((await done.count()) === 0) break;
    await done.first().click();
    await expect(citizen.getByRole("status").filter({ hasText: "标记为已办理" })).toBeVisible();
  }

  await signIn(page, testInfo, "officer-tax", OFFICER_PW, `/work/cases/${number}`);
  // The officer sees the new file, in its own list and in the history, and may download it.
  const fileLink = page.locator(".correction-files").getByRole("link", { name: "id-scan.png" });
  await expect(fileLink).toBeVisible();
  await expect(page.locator("ol.history")).toContainText("上传补正材料");
  await expect(page.locator("ol.history").getByRole("link", { name: "id-scan.png" })).toBeVisible();
  const download = await page.request.get((await fileLink.getAttribute("href")) ?? "");
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toBe("image/png");
  await task(page, "tax").getByRole("button", { name: "准予许可" }).click();
  await expectDone(page);

  // Any other department still deciding.
  for (const officer of ["officer-eco", "officer-psb", "officer-hrss", "officer-hpf", "officer-bank", "officer-water", "officer-urban", "officer-culture"]) {
    await signIn(page, testInfo, officer, OFFICER_PW, "/");
    await approveAll(page, testInfo, number);
  }

  // The window hands over every result; the citizen sees it.
  await signIn(page, testInfo, "window", "demo-window-2026", `/work/cases/${number}`);
  await page.getByRole("button", { name: "统一出件" }).click();
  await expectDone(page);
  await expect(page.locator("dd").filter({ hasText: "已出件" })).toBeVisible();
  await expect(page.getByText("窗口操作")).toHaveCount(0);

  if (!hasJs(testInfo)) await citizen.reload();
  await expect(citizen.locator("dd").filter({ hasText: "已出件" })).toBeVisible({ timeout: 15_000 });

  // The printable notice of acceptance names the promised material.
  await open(citizen, testInfo, `/cases/${number}/notice/acceptance`);
  await expect(citizen.getByRole("heading", { level: 1 })).toHaveText("受理通知书");
  await expect(citizen.getByText(PROMISED)).toBeVisible();
  await expectAccessible(citizen, testInfo);
  await citizen.context().close();
});

test("the window's refusal needs a reason and an appeal route; the notice prints both", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const number = await fileCase(page, testInfo, freshMobile(), `申请人${Math.floor(Math.random() * 1e6)}`);
  await signIn(page, testInfo, "window", "demo-window-2026", `/work/cases/${number}`);
  const refuse = page.locator("form").filter({ has: page.getByRole("button", { name: "不予受理" }) });
  await refuse.getByLabel("理由").fill("经营场所不在本市行政区域内");
  await refuse.getByRole("button", { name: "不予受理" }).click();
  await expect(page.getByRole("alert")).toContainText("救济途径");
  await expectAccessible(page, testInfo);
  const again = page.locator("form").filter({ has: page.getByRole("button", { name: "不予受理" }) });
  await again.getByLabel("理由").fill("经营场所不在本市行政区域内");
  await again.getByLabel("救济途径").fill("可于六十日内向示范市人民政府申请行政复议");
  await again.getByRole("button", { name: "不予受理" }).click();
  await expectDone(page);
  await open(page, testInfo, `/cases/${number}/notice/refusal`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("不予受理通知书");
  await expect(page.getByText("经营场所不在本市行政区域内")).toBeVisible();
  await expect(page.getByText("可于六十日内向示范市人民政府申请行政复议")).toBeVisible();
  await expectAccessible(page, testInfo);
});
