import { expect, Page, test } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, hasJs, open, register } from "./helpers";

async function choose(page: Page, question: string, option: string) {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(question);
  await page.getByRole("group", { name: new RegExp(question) }).getByLabel(option, { exact: true }).check();
  await page.getByRole("button", { name: "继续" }).click();
}

async function fill(page: Page, question: string, value: string) {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(question);
  await page.getByLabel(question).fill(value);
  await page.getByRole("button", { name: "继续" }).click();
}

async function section(page: Page, heading: string) {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
}

const SAVE = "保存并继续";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

test.describe("the restaurant application: roadmap → merged form → materials → check → one case", () => {
  test("a new citizen applies end to end on a phone", async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const name = `王芳${Math.floor(Math.random() * 1e6)}`;
    await register(page, testInfo, name);

    await open(page, testInfo, "/themes/open-restaurant");
    await page.getByRole("link", { name: "开始办理" }).click();
    await choose(page, "您要开办的是公司还是个体工商户？", "公司");
    await fill(page, "法定代表人（或个体经营者）的年龄是？", "35");
    await choose(page, "经营场所位于哪类建筑？", "独立商业建筑或商场");
    await fill(page, "经营面积约多少平方米（含后厨和仓储）？", "120");
    await fill(page, "设多少个堂食座位？", "40");
    await choose(page, "是否销售酒类？", "否");
    // A branch that adds steps: entertainment brings the entertainment licence.
    await choose(page, "是否设置卡拉 OK 包间、歌舞表演等娱乐项目？", "是");
    // A branch that removes one: no outside sign, no sign permit.
    await choose(page, "是否在建筑外墙设置店铺招牌？", "否");
    await choose(page, "厨房污水是否排入市政污水管网？", "是");
    await choose(page, "场所所在建筑（及本次装修）是否已通过消防验收或已备案？", "是");
    await fill(page, "开业时计划招用多少名员工（不含您本人）？", "6");

    await expect(page.getByRole("heading", { level: 1 })).toHaveText("您的办事路线图");
    const leftOut = page.locator("ul.left-out");
    await expect(leftOut.getByRole("link", { name: "户外招牌设置" })).toBeVisible();
    await expect(page.locator("ol.stages").getByRole("link", { name: /娱乐场所/ }).first()).toBeVisible();
    await expectNoSidewaysScroll(page);

    await page.getByRole("button", { name: "开始填写申请" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("填写申请");
    await expect(page.getByText(/草稿保存至/)).toBeVisible();
    await expectAccessible(page, testInfo);
    await page.getByRole("link", { name: "申请人", exact: true }).click();

    // 申请人: a wrong resident ID is refused with its own message; everything typed stays.
    await section(page, "申请人");
    await expect(page.getByText("第 1 部分，共 5 部分")).toBeVisible();
    await page.getByLabel("申请人姓名").fill(name);
    await page.getByLabel("申请人身份证号码").fill("110105194912310021");
    await page.getByLabel("联系电话").fill("13800138000");
    await page.getByLabel("法定代表人（经营者）姓名").fill(name);
    await page.getByLabel("法定代表人（经营者）身份证号码").fill("11010519491231002X");
    await page.getByRole("button", { name: SAVE }).click();
    await expect(page).toHaveTitle(/^错误：申请人/);
    const summary = page.getByRole("alert");
    await expect(summary).toContainText("申请人身份证号码校验位不符");
    await expect(summary.getByRole("link")).toHaveCount(1);
    await expect(page.getByLabel("申请人姓名")).toHaveValue(name);
    await expect(page.getByLabel("申请人身份证号码")).toHaveValue("110105194912310021");
    await expect(page.getByLabel("联系电话")).toHaveValue("13800138000");
    await expectAccessible(page, testInfo);
    await page.getByLabel("申请人身份证号码").fill("11010519491231002X");
    await page.getByRole("button", { name: SAVE }).click();

    // Leave and come back: 我的办事 resumes the draft where it was.
    await section(page, "经营主体");
    await open(page, testInfo, "/my");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的办事");
    await expectAccessible(page, testInfo);
    await page.getByRole("link", { name: "开办餐饮店" }).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("填写申请");
    await expect(page.getByRole("listitem").filter({ hasText: "申请人" }).getByText("已完成")).toBeVisible();
    await page.getByRole("link", { name: "经营主体" }).click();

    // 经营主体: the entity type is already known from the answers.
    await section(page, "经营主体");
    await expect(page.getByRole("group", { name: /市场主体类型/ }).getByLabel("有限责任公司")).toBeChecked();
    await page.getByLabel("企业（字号）名称").fill("示范味道餐饮有限公司");
    await page.getByLabel("经营范围").fill("餐饮服务");
    await page.getByRole("button", { name: SAVE }).click();

    await section(page, "经营场所");
    await expect(page.getByLabel("经营面积")).toHaveValue("120");
    // A required field left blank: hydrated, the browser says so without asking the server (same rules); without
    // JavaScript the server does.
    const saves: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/save_section")) saves.push(r.url());
    });
    await page.getByRole("button", { name: SAVE }).click();
    await expect(page).toHaveTitle(/^错误：经营场所/);
    await expect(page.getByRole("alert")).toContainText("请填写经营场所地址");
    await expect(page.getByLabel("经营面积")).toHaveValue("120");
    expect(saves.length).toBe(hasJs(testInfo) ? 0 : 1);
    await page.getByLabel("经营场所地址").fill("示范市中山路 1 号");
    await page.getByRole("button", { name: SAVE }).click();

    await section(page, "人员");
    await page.getByRole("button", { name: SAVE }).click();
    await section(page, "经营安排");
    await page.getByRole("button", { name: SAVE }).click();

    // Materials: a file that is not what its name says is refused; a real PDF is kept.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("申请材料");
    await expect(page.getByRole("heading", { name: "由前面环节产生、无需提供的材料" })).toBeVisible();
    // Hydrated, an upload goes by fetch: no document is loaded; without JavaScript the form posts and redirects.
    const documentLoads: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "document") documentLoads.push(r.url());
    });
    const first = page.locator("li.material").first();
    const materialName = (await first.locator("h3").innerText()).split("（")[0];
    await first.getByText("上传扫描件").click();
    await first.getByLabel(/选择文件/).setInputFiles({ name: "租赁合同.pdf", mimeType: "application/pdf", buffer: Buffer.from("not a pdf at all") });
    await first.getByRole("button", { name: "上传" }).click();
    await expect(page).toHaveTitle(/^错误：/);
    await expect(page.getByRole("alert")).toContainText("只能上传 PDF、JPEG 或 PNG");
    const again = page.locator("li.material").first();
    await expect(again.locator("h3")).toContainText(materialName);
    // Refused: this document's upload form is open, with the message beside it.
    await expect(again.getByText("只能上传 PDF、JPEG 或 PNG")).toBeVisible();
    await again.getByLabel(/选择文件/).setInputFiles({ name: "租赁合同.pdf", mimeType: "application/pdf", buffer: PDF });
    if (hasJs(testInfo)) {
      // The connection drops once: a clear message, and the chosen file is still there to send again.
      await page.route("**/materials/*", (r) => (r.request().method() === "POST" ? r.abort() : r.continue()), { times: 1 });
      await again.getByRole("button", { name: "上传" }).click();
      await expect(again.getByRole("alert")).toContainText("上传没有完成");
      expect(await again.getByLabel(/选择文件/).evaluate((el) => (el as HTMLInputElement).files?.length)).toBe(1);
    }
    await again.getByRole("button", { name: "上传" }).click();
    await expect(page.locator("li.material").first().getByRole("link", { name: "租赁合同.pdf" })).toBeVisible();
    if (hasJs(testInfo)) {
      expect(documentLoads).toEqual([]);
      await expect(page.getByRole("status").filter({ hasText: "已上传：租赁合同.pdf" })).toBeAttached();
    } else {
      expect(documentLoads.length).toBeGreaterThanOrEqual(2);
    }
    await expectAccessible(page, testInfo);
    await expectNoSidewaysScroll(page);

    // Check your answers, with a Change that comes back here.
    await page.getByRole("link", { name: "继续：核对并提交" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("核对您的申请");
    await expect(page.getByText("示范味道餐饮有限公司")).toBeVisible();
    await expect(page.getByText("租赁合同.pdf")).toBeVisible();
    await expectAccessible(page, testInfo);
    await page.getByRole("link", { name: /^修改\s*：企业（字号）名称$/ }).click();
    await page.getByLabel("企业（字号）名称").fill("示范好味道餐饮有限公司");
    // Typed as soon as the page showed, most likely before its island hydrated: hydrating keeps what was typed.
    if (hasJs(testInfo)) await expect(page.locator("[data-hydrated=true]")).toHaveCount(1, { timeout: 15_000 });
    await expect(page.getByLabel("企业（字号）名称")).toHaveValue("示范好味道餐饮有限公司");
    await page.getByRole("button", { name: "保存并返回核对页" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("核对您的申请");
    await expect(page.getByText("示范好味道餐饮有限公司")).toBeVisible();

    const submitForm = page.locator("form").filter({ has: page.getByRole("button", { name: "确认并提交申请" }) });
    const submitAction = (await submitForm.getAttribute("action")) ?? "";
    const draft = (await submitForm.locator('input[name="draft"]').getAttribute("value")) ?? "";
    await page.getByRole("button", { name: "确认并提交申请" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("申请已提交");
    const number = (await page.locator(".case-number").innerText()).trim();
    expect(number).toMatch(/^\d{8}-\d{6,}$/);
    await expect(page.getByText("查询码", { exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: /娱乐场所/ }).first()).toBeVisible();
    await expect(page.getByRole("heading", { name: "户外招牌设置" })).toHaveCount(0);
    await expectAccessible(page, testInfo);
    await expectNoSidewaysScroll(page);

    // The case page, later: the same case, one of it.
    await open(page, testInfo, `/cases/${number}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("办件进度");
    await expect(page.getByText("提交申请").first()).toBeVisible();
    await open(page, testInfo, "/my");
    await expect(page.getByRole("link", { name: new RegExp(number) })).toBeVisible();

    // A replayed submission (a double tap, a retry) lands on the same case; nothing is stored twice.
    const replay = await page.request.post(submitAction, {
      form: { draft },
      // A replay from this site's page (a program must say where it posts from: cross-site posts are refused).
      headers: { Accept: "text/html", Origin: new URL(page.url()).origin },
      maxRedirects: 0,
    });
    expect(replay.headers()["location"]).toBe(`/cases/${number}`);
    await expect(page.getByRole("link", { name: new RegExp(number) })).toHaveCount(1);
  });

  test("starting needs a signed-in citizen; tampered answers are refused", async ({ page }, testInfo) => {
    const answers =
      "a.entity=sole&a.applicant_age=30&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=1";
    await open(page, testInfo, `/themes/open-restaurant/apply?${answers}`);
    await page.getByRole("button", { name: "开始填写申请" }).click();
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByLabel("账号（登录名或手机号）").fill("citizen");
    await page.getByLabel("密码", { exact: true }).fill("demo-citizen-2026");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("您的办事路线图");

    // Someone edits the signed hidden answers: nothing is stored, and the page says why.
    const form = page.locator("form").filter({ has: page.getByRole("button", { name: "开始填写申请" }) });
    const action = (await form.getAttribute("action")) ?? "";
    const sig = (await form.locator('input[name="sig"]').getAttribute("value")) ?? "";
    const signed = (await form.locator('input[name="answers"]').getAttribute("value")) ?? "";
    expect(signed).toBe(answers);
    const response = await page.request.post(action, {
      form: { theme: "open-restaurant", answers: answers + "&a.seats=400", sig },
      // A replay from this site's page (a program must say where it posts from: cross-site posts are refused).
      headers: { Accept: "text/html", Origin: new URL(page.url()).origin },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(302);
    expect(response.headers()["location"]).toBe("/refused/tampered");
    // The same post from another site's page is refused before anything runs.
    const forged = await page.request.post(action, {
      form: { theme: "open-restaurant", answers, sig },
      headers: { Accept: "text/html", Origin: "https://evil.example" },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain("跨站请求已拒绝");
    await open(page, testInfo, "/refused/tampered");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("操作未完成");
    await expect(page.getByText(/可能被修改过/)).toBeVisible();
    await expectAccessible(page, testInfo);

    // The genuine answers start (or continue) the application; its check page cannot be reached out of order.
    await open(page, testInfo, `/themes/open-restaurant/apply?${answers}`);
    await page.getByRole("button", { name: "开始填写申请" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("填写申请");
    await open(page, testInfo, page.url() + "/check");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("还不能核对提交");
    await expect(page.getByRole("link", { name: "前往申请目录" })).toBeVisible();
  });
});
