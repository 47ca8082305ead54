import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, open } from "./helpers";

test.describe("browsing the catalog", () => {
  test("home → audience → theme overview → item guide → department", async ({ page }, testInfo) => {
    await open(page, testInfo, "/");
    await expect(page.getByRole("heading", { name: "主题服务", level: 2 })).toBeVisible();
    await expect(page.getByRole("link", { name: "开办餐饮店", exact: true })).toBeVisible();

    await page.getByRole("navigation", { name: "按服务对象" }).getByRole("link", { name: "企业" }).click();
    await expect(page).toHaveURL(/\/audiences\/enterprises$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("企业");
    await expectAccessible(page, testInfo);

    await page.getByRole("link", { name: "开办餐饮店", exact: true }).first().click();
    await expect(page).toHaveURL(/\/themes\/open-restaurant$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("开办餐饮店");
    // The licence comes first, alone; the next stage runs several steps in parallel.
    const stages = page.locator("ol.stages > li");
    expect(await stages.count()).toBeGreaterThanOrEqual(2);
    await expect(stages.first().getByRole("heading", { level: 4 })).toHaveCount(1);
    await expect(stages.nth(1).getByText("本阶段的事项同时办理（并联审批）")).toBeVisible();
    await expect(page.getByText(/按承诺时限，最短 \d+ 个工作日/)).toBeVisible();
    await expect(page.getByText(/如果今天开始，最早预计于 \d{4}年\d{1,2}月\d{1,2}日/)).toBeVisible();
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, testInfo);

    const firstStep = stages.first().getByRole("heading", { level: 4 }).getByRole("link");
    const itemName = (await firstStep.textContent())!.trim();
    await firstStep.click();
    await expect(page).toHaveURL(/\/items\//);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(itemName);
    await expect(page.getByRole("heading", { name: "申请材料" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "办理时限" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, testInfo);

    await page.locator("dl.facts").getByRole("link").first().click();
    await expect(page).toHaveURL(/\/departments\//);
    await expect(page.getByRole("heading", { name: "本部门办理的事项" })).toBeVisible();
    await expectAccessible(page, testInfo);
  });

  test("a historical flow is shown for comparison and cannot be started", async ({ page }, testInfo) => {
    await open(page, testInfo, "/themes/open-restaurant-2008");
    await expect(page.getByText("历史流程，不可办理").first()).toBeVisible();
    await expect(page.getByRole("link", { name: /开始/ })).toHaveCount(0);
  });

  test("an unknown theme gets a 404 page that offers a search", async ({ page }, testInfo) => {
    const response = await open(page, testInfo, "/themes/no-such-theme");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到这个事项或主题");
    await expect(page.getByRole("searchbox", { name: "搜索办事事项或主题服务" })).toBeVisible();
    await expectAccessible(page, testInfo);
  });
});

test.describe("search", () => {
  for (const [query, expected] of [
    ["餐饮", "开办餐饮店"],
    ["出生", "新生儿出生一件事"],
    ["税", null],
    ["营业执照", null],
  ] as const) {
    test(`finds “${query}”`, async ({ page }, testInfo) => {
      await open(page, testInfo, "/");
      await page.getByRole("searchbox", { name: "搜索办事事项或主题服务" }).first().fill(query);
      await page.getByRole("button", { name: "搜索" }).first().click();
      await expect(page).toHaveURL(new RegExp(`/search\\?q=`));
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`搜索结果：${query}`);
      // What the user typed is kept in the box.
      await expect(page.getByRole("searchbox", { name: "搜索办事事项或主题服务" })).toHaveValue(query);
      const results = page.locator("main").getByRole("listitem").getByRole("link");
      expect(await results.count()).toBeGreaterThan(0);
      if (expected) await expect(page.getByRole("link", { name: expected, exact: true }).first()).toBeVisible();
      await expectAccessible(page, testInfo);
    });
  }

  test("many results come 20 of each kind to a page, with page links that work without JavaScript", async ({ page }, testInfo) => {
    // Every shipped item belongs to a department of the demo city (示范市…): far more than one page.
    await open(page, testInfo, "/search?q=示范");
    await expect(page.getByRole("status")).toContainText(/找到 (\d+ 个主题服务、)?\d+ 个办事事项。/);
    const found = Number((await page.getByRole("status").textContent())!.match(/(\d+) 个办事事项/)![1]);
    expect(found).toBeGreaterThan(40);
    const items = page.getByRole("region", { name: "办事事项" }).getByRole("listitem").getByRole("link");
    await expect(items).toHaveCount(20);
    const firstPage = await items.allTextContents();
    const pages = page.getByRole("navigation", { name: "分页" });
    await expect(pages).toContainText(`第 1 页，共 ${Math.ceil(found / 20)} 页`);
    await expect(pages.getByRole("link", { name: "上一页" })).toHaveCount(0);
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, testInfo);

    await pages.getByRole("link", { name: "下一页" }).click();
    await expect(page).toHaveURL(/\/search\?q=.*&page=2$/);
    await expect(pages).toContainText("第 2 页");
    await expect(items).toHaveCount(20);
    const secondPage = await items.allTextContents();
    expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);
    // What the user typed stays in the box on every page.
    await expect(page.getByRole("searchbox", { name: "搜索办事事项或主题服务" })).toHaveValue("示范");

    await pages.getByRole("link", { name: "上一页" }).click();
    await expect(pages).toContainText("第 1 页");
    expect(await items.allTextContents()).toEqual(firstPage);
  });

  test("any input is a normal page: no result suggests themes", async ({ page }, testInfo) => {
    // 10,000 characters; Chinese only up to 7,000, since hyper refuses URIs over 64 KiB (414) and each Chinese
    // character takes 9 bytes percent-encoded. The search box itself accepts 200 characters.
    const hostile = ["zzqqxx", "'; DROP TABLE account; --", "<script>alert(1)</script>", "😀🍜", "x".repeat(10_000), "餐".repeat(7_000)];
    for (const query of hostile) {
      const response = await open(page, testInfo, `/search?q=${encodeURIComponent(query)}`);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("搜索结果");
    }
    await open(page, testInfo, "/search?q=zzqqxx");
    await expect(page.getByText("没有找到匹配的事项或主题服务")).toBeVisible();
    await expect(page.getByRole("heading", { name: "您可能要办" })).toBeVisible();
  });
});

test.describe("printing", () => {
  test("an item guide prints on one A4 page, in Chinese and in English", async ({ page, baseURL }, testInfo) => {
    test.skip(testInfo.project.name !== "desktop", "PDF output is the same for every project");
    for (const lang of ["zh", "en"]) {
      await page.context().addCookies([{ name: "hall_lang", value: lang, url: baseURL! }]);
      for (const id of ["samr-business-registration", "samr-food-business-licence", "fire-pre-opening-check", "bank-basic-account"]) {
        await page.goto(`/items/${id}`);
        const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
        const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
        expect(pages, `${lang} ${id}`).toBe(1);
      }
    }
  });
});
