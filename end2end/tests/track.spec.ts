import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, hasJs, open } from "./helpers";
import { CONTACT_PHONE, fileCase, freshMobile, RESIDENT_ID } from "./filing";

// 进度查询 without an account, and the citizen's notifications. The case is filed through the real pages; the
// lookup runs in a second browser with no session at all.

test("progress by number and 查询码 shows only progress; a wrong code gets the uniform refusal; the citizen is notified", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const name = `查询${Math.floor(Math.random() * 1e6)}`;
  const { number, code } = await fileCase(page, testInfo, freshMobile(), name);
  expect(code).toMatch(/^[0-9A-Z]{8}$/);
  // The receipt points to the lookup.
  await expect(page.getByRole("main").getByRole("link", { name: "进度查询" })).toBeVisible();

  const ctx = await browser.newContext({
    viewport: testInfo.project.use.viewport ?? undefined,
    javaScriptEnabled: hasJs(testInfo),
    locale: "zh-CN",
  });
  const anon = await ctx.newPage();
  try {
    // From the home page's link.
    await open(anon, testInfo, "/");
    await anon.getByRole("main").getByRole("link", { name: "进度查询" }).click();
    await expect(anon.getByRole("heading", { level: 1 })).toHaveText("办件进度查询");
    if (hasJs(testInfo)) await expect(anon.locator("[data-hydrated=true]")).toHaveCount(1, { timeout: 15_000 });
    await expectAccessible(anon, testInfo);
    await expectNoSidewaysScroll(anon);

    // A wrong code: the one message that never says which part was wrong; the code is not in the URL.
    const wrong = code === "AAAAAAAA" ? "CCCCCCCC" : "AAAAAAAA";
    await anon.getByLabel("办件编号").fill(number);
    await anon.getByLabel("查询码").fill(wrong);
    await anon.getByRole("button", { name: "查询" }).click();
    await expect(anon.getByRole("alert")).toContainText("案件编号或查询码不正确");
    expect(anon.url()).not.toContain(wrong);
    await expect(anon.getByLabel("办件编号")).toHaveValue(number);
    await expectAccessible(anon, testInfo);

    // The right code (typed in lower case): progress, and nothing personal.
    await anon.getByLabel("查询码").fill(code.toLowerCase());
    await anon.getByRole("button", { name: "查询" }).click();
    await expect(anon.getByRole("heading", { level: 1 })).toHaveText("办理进度");
    expect(anon.url()).not.toContain(code);
    const main = anon.getByRole("main");
    await expect(main).toContainText(number);
    await expect(main).toContainText("开办餐饮店");
    await expect(main.locator(".summary__row").filter({ hasText: "办件状态" })).toBeVisible();
    await expect(main.locator("ol.case-tasks > li").first()).toBeVisible();
    await expect(main.locator("ol.history time").first()).toBeVisible();
    const text = await main.innerText();
    for (const secret of [name, RESIDENT_ID, CONTACT_PHONE, code, "示范市中山路"]) {
      expect(text, `progress shows ${secret}`).not.toContain(secret);
    }
    await expectAccessible(anon, testInfo);
    await expectNoSidewaysScroll(anon);
  } finally {
    await ctx.close();
  }

  // The citizen: the header counts the unread notification; the list shows the submission, linked to the case.
  await open(page, testInfo, "/");
  const account = page.getByRole("navigation", { name: "账号" });
  const notes = account.getByRole("link", { name: /^通知\s*\d+\s*未读$/ });
  await expect(notes).toBeVisible();
  await expectNoSidewaysScroll(page);
  await notes.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("消息通知");
  const item = page.locator(".notification").filter({ hasText: `办件 ${number} 已提交` });
  await expect(item).toBeVisible();
  await expect(item.getByRole("link", { name: `查看办件 ${number}` })).toHaveAttribute("href", `/cases/${number}`);
  await expectAccessible(page, testInfo);
  await expectNoSidewaysScroll(page);
  await page.getByRole("button", { name: "全部标为已读" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已全部标为已读" })).toBeVisible();
  await expect(account.getByRole("link", { name: "通知", exact: true })).toBeVisible();
  await expect(page.locator(".notification--unread")).toHaveCount(0);
});
