import { expect, Page, test } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, open } from "./helpers";

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

test.describe("the restaurant wizard: questions → roadmap", () => {
  test("answers one question per page, keeps answers going back, and explains the roadmap", async ({ page }, testInfo) => {
    await open(page, testInfo, "/themes/open-restaurant");
    await page.getByRole("link", { name: "开始办理" }).click();
    await expect(page).toHaveURL(/\/themes\/open-restaurant\/apply$/);
    await expect(page.getByText("第 1 个问题，共")).toBeVisible();
    await expectAccessible(page, testInfo);

    // Continue without an answer: an error summary, "错误：" in the title, nothing lost.
    await page.getByRole("button", { name: "继续" }).click();
    await expect(page).toHaveTitle(/^错误：/);
    const summary = page.getByRole("alert");
    await expect(summary).toContainText("请选择一项");
    await expectAccessible(page, testInfo);

    await choose(page, "您要开办的是公司还是个体工商户？", "公司");
    // A number that is not a number keeps what was typed and says what is wrong.
    await fill(page, "法定代表人（或个体经营者）的年龄是？", "三十");
    await expect(page).toHaveTitle(/^错误：/);
    await expect(page.getByLabel("法定代表人（或个体经营者）的年龄是？")).toHaveValue("三十");
    await expect(page.getByRole("alert")).toContainText("请输入数字");
    await fill(page, "法定代表人（或个体经营者）的年龄是？", "35");
    await choose(page, "经营场所位于哪类建筑？", "独立商业建筑或商场");

    // Back keeps the earlier answer.
    await page.getByRole("link", { name: "返回" }).click();
    await expect(page.getByLabel("独立商业建筑或商场")).toBeChecked();
    await page.getByRole("link", { name: "返回" }).click();
    await expect(page.getByLabel("法定代表人（或个体经营者）的年龄是？")).toHaveValue("35");
    await page.getByRole("button", { name: "继续" }).click();
    await page.getByRole("button", { name: "继续" }).click();

    await fill(page, "经营面积约多少平方米（含后厨和仓储）？", "120");
    await fill(page, "设多少个堂食座位？", "40");
    await choose(page, "是否销售酒类？", "否");
    await choose(page, "是否设置卡拉 OK 包间、歌舞表演等娱乐项目？", "否");
    await choose(page, "是否在建筑外墙设置店铺招牌？", "是");
    await choose(page, "厨房污水是否排入市政污水管网？", "是");
    await choose(page, "场所所在建筑（及本次装修）是否已通过消防验收或已备案？", "是");
    await fill(page, "开业时计划招用多少名员工（不含您本人）？", "6");

    await expect(page.getByRole("heading", { level: 1 })).toHaveText("您的办事路线图");
    await expect(page.getByRole("link", { name: "市场主体设立登记（含名称自主申报）" }).first()).toBeVisible();
    await expect(page.getByText("依据您的回答：").first()).toBeVisible();
    await expect(page.getByRole("heading", { name: "您不需要办理的事项" })).toBeVisible();
    await expect(page.getByText(/按承诺时限，最短 \d+ 个工作日/)).toBeVisible();
    // One merged form and one checklist: the licence from step 1 is never asked for again.
    await expect(page.getByRole("heading", { name: "您只需填写一次的信息（一表申请）" })).toBeVisible();
    await expect(page.getByText(/^发送给：.+、.+/).first()).toBeVisible();
    const produced = page.locator("h3", { hasText: "由办理过程产生、无需您提交的材料" }).locator("xpath=following-sibling::ul[1]");
    await expect(produced.getByText(/营业执照/).first()).toBeVisible();
    await expect(produced.getByText(/由第 1 步产生/).first()).toBeVisible();
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, testInfo);

    // Change one answer from the list: the question shows the answer given, and Continue goes on from there.
    await page.getByRole("link", { name: /修改\s*：设多少个堂食座位/ }).click();
    await expect(page.getByLabel("设多少个堂食座位？")).toHaveValue("40");
  });

  test("an ineligible answer leads to an exit page with the reason, never an error", async ({ page }, testInfo) => {
    await open(page, testInfo, "/themes/open-restaurant/apply");
    await choose(page, "您要开办的是公司还是个体工商户？", "个体工商户");
    await fill(page, "法定代表人（或个体经营者）的年龄是？", "16");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("您暂时不能通过本主题服务办理");
    await expect(page.getByRole("link", { name: "修改回答" })).toBeVisible();
    await expectAccessible(page, testInfo);
    await page.getByRole("link", { name: "修改回答" }).click();
    await expect(page.getByLabel("法定代表人（或个体经营者）的年龄是？")).toHaveValue("16");
  });

  test("a historical theme cannot be started", async ({ page }, testInfo) => {
    const response = await open(page, testInfo, "/themes/open-restaurant-2008/apply");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("这是历史流程，不能办理");
  });
});
