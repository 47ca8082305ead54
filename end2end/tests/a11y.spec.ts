import { BrowserContext, expect, Page, test, TestInfo } from "@playwright/test";
import { fileCase, fillToMaterials, freshMobile, receipt } from "./filing";
import { expectAccessible, expectNoSidewaysScroll, hasJs, open, register } from "./helpers";

// Every page a citizen, an officer or a supervisor can reach, in Chinese and in English: axe (WCAG 2.0/2.1/2.2 A and
// AA) finds nothing, there is one h1, <html lang> names the language, and nothing scrolls sideways — on a 320-px
// phone too. The journeys (wizard, application, workbench …) run axe on the pages that need a case or a draft.

const PUBLIC = [
  "/",
  "/search?q=餐饮",
  "/search?q=没有这种事项",
  "/themes/open-restaurant",
  "/themes/open-restaurant/apply",
  "/themes/open-restaurant-2008",
  "/themes/newborn",
  "/items/samr-business-registration",
  "/departments/samr",
  "/audiences/residents",
  "/stages/p-marriage",
  "/stages/e-trade",
  "/login",
  "/register",
  "/refused/staff",
  "/track",
  "/no-such-page",
];
const CITIZEN = [
  "/my",
  "/account",
  "/notifications",
  "/my/consents",
  "/consultations",
  "/consult?item=samr-business-registration",
  "/consult?theme=open-restaurant",
  "/appointments",
  "/appointments/new?item=samr-business-registration",
  "/appointments/new?item=samr-business-registration&centre=city-centre",
  "/appointments/new?item=samr-business-registration&centre=city-centre&problem=full",
];
const AGENT = ["/agent"];
const WINDOW = ["/work", "/work/appointments"];
const SUPERVISOR = ["/supervision", "/departments/samr/performance", "/work/appointments"];
const ADMIN = ["/admin", "/admin/accounts", "/admin/accounts/new", "/admin/tokens"];

const LANGS = [
  { code: "zh", lang: "zh-CN" },
  { code: "en", lang: "en" },
];

async function signIn(page: Page, testInfo: TestInfo, account: string, password: string) {
  await open(page, testInfo, "/login");
  await page.getByRole("textbox", { name: /账号|Account/ }).fill(account);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.getByRole("button", { name: /^(登录|Sign in)$/ }).click()]);
}

async function setLanguage(context: BrowserContext, baseURL: string, code: string) {
  await context.addCookies([{ name: "hall_lang", value: code, url: baseURL }]);
}

async function sweep(page: Page, testInfo: TestInfo, urls: string[], lang: string) {
  for (const url of urls) {
    await test.step(`${url} (${lang})`, async () => {
      await open(page, testInfo, url);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expect(page.locator("h1"), url).toHaveCount(1);
      await expectAccessible(page, testInfo);
      await expectNoSidewaysScroll(page);
      if (testInfo.project.name.startsWith("phone")) {
        // The narrowest phones the hall supports.
        const size = page.viewportSize();
        await page.setViewportSize({ width: 320, height: 640 });
        await expectNoSidewaysScroll(page);
        if (size) await page.setViewportSize(size);
      }
    });
  }
}

test.describe("every page passes axe in both languages", () => {
  // The server renders the same HTML with JavaScript off; the journeys check axe in those projects.
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, "one sweep per screen size");

  for (const { code, lang } of LANGS) {
    test(`public pages (${code})`, async ({ page, context, baseURL }, testInfo) => {
      test.setTimeout(180_000);
      await setLanguage(context, baseURL!, code);
      await sweep(page, testInfo, PUBLIC, lang);
    });

    test(`signed-in pages: citizen, window, supervisor, admin (${code})`, async ({ page, context, baseURL }, testInfo) => {
      test.setTimeout(180_000);
      await setLanguage(context, baseURL!, code);
      await signIn(page, testInfo, "citizen", "demo-citizen-2026");
      await sweep(page, testInfo, CITIZEN, lang);
      await context.clearCookies();
      await setLanguage(context, baseURL!, code);
      await signIn(page, testInfo, "window", "demo-window-2026");
      await sweep(page, testInfo, WINDOW, lang);
      await context.clearCookies();
      await setLanguage(context, baseURL!, code);
      await signIn(page, testInfo, "supervisor", "demo-supervisor-2026");
      await sweep(page, testInfo, SUPERVISOR, lang);
      await context.clearCookies();
      await setLanguage(context, baseURL!, code);
      await signIn(page, testInfo, "admin", "demo-admin-2026");
      await sweep(page, testInfo, ADMIN, lang);
      await context.clearCookies();
      await setLanguage(context, baseURL!, code);
      await signIn(page, testInfo, "agent", "demo-agent-2026");
      await sweep(page, testInfo, AGENT, lang);
    });
  }

  test("a case, a draft and the staff case view, in English", async ({ page, context, baseURL }, testInfo) => {
    test.setTimeout(240_000);
    // Filed in Chinese (the filing helper's labels), then read in English.
    const { number } = await fileCase(page, testInfo, freshMobile(), `英文${Math.floor(Math.random() * 1e6)}`);
    await open(page, testInfo, "/themes/open-restaurant/apply?a.entity=sole&a.applicant_age=35&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=0");
    await page.getByRole("button", { name: "开始填写申请" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("填写申请");
    const draft = new URL(page.url()).pathname;
    await setLanguage(context, baseURL!, "en");
    await sweep(page, testInfo, [`/cases/${number}`, draft, `${draft}/sections/applicant`, `${draft}/materials`, "/my", "/notifications"], "en");
    await context.clearCookies();
    await setLanguage(context, baseURL!, "en");
    await signIn(page, testInfo, "window", "demo-window-2026");
    await sweep(page, testInfo, [`/work/cases/${number}`], "en");
  });
});

/** What has the keyboard focus: its tag and its label or text. */
async function focused(page: Page): Promise<{ tag: string; type: string; name: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    if (!el) return { tag: "", type: "", name: "" };
    const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
    return {
      tag: el.tagName.toLowerCase(),
      type: el.type ?? "",
      name: (label || el.innerText || el.getAttribute("aria-label") || "").trim(),
    };
  });
}

/** Presses Tab until the focus is on what `want` accepts, and checks the focus can be seen. */
async function tabTo(page: Page, what: string, want: (f: { tag: string; type: string; name: string }) => boolean) {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press("Tab");
    if (want(await focused(page))) {
      const visible = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
      });
      expect(visible, `a visible focus on ${what}`).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${what}`);
}

const byName = (tag: string, name: string | RegExp) => (f: { tag: string; name: string }) =>
  f.tag === tag && (typeof name === "string" ? f.name === name : name.test(f.name));

async function continueTo(page: Page, next: string | RegExp) {
  await tabTo(page, "继续", byName("button", "继续"));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(next);
}

/** A radio group: Tab into it, then the arrow keys to the option (which checks it). */
async function chooseByKeys(page: Page, option: string) {
  await tabTo(page, `the options (${option})`, (f) => f.tag === "input" && f.type === "radio");
  for (let i = 0; i < 10 && (await focused(page)).name !== option; i++) {
    await page.keyboard.press("ArrowDown");
  }
  expect((await focused(page)).name).toBe(option);
  await page.keyboard.press("Space");
}

async function typeByKeys(page: Page, label: string | RegExp, text: string) {
  await tabTo(page, String(label), byName("input", label));
  await page.keyboard.type(text);
}

test.describe("large-text mode (适老化)", () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, "one sweep per screen size");

  test("every public page stays readable without sideways scrolling, in both languages", async ({ page, context, baseURL }, testInfo) => {
    test.setTimeout(180_000);
    for (const { code, lang } of LANGS) {
      await context.addCookies([{ name: "hall_large_text", value: "1", url: baseURL! }]);
      await setLanguage(context, baseURL!, code);
      for (const url of PUBLIC) {
        await open(page, testInfo, url);
        await expect(page.locator("html")).toHaveClass(/large-text/);
        await expect(page.locator("html")).toHaveAttribute("lang", lang);
        await expectNoSidewaysScroll(page);
        const size = page.viewportSize();
        await page.setViewportSize({ width: 320, height: 640 });
        await expectNoSidewaysScroll(page);
        if (size) await page.setViewportSize(size);
      }
    }
    // Contrast holds in the high-contrast colours too.
    await open(page, testInfo, "/themes/open-restaurant");
    await expectAccessible(page, testInfo);
  });
});

test.describe("keyboard only", () => {
  test.skip(({ isMobile }) => !!isMobile, "keyboard users are on desktops");

  test("the restaurant wizard, from the theme page to a saved form section", async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    // Set-up (not part of the walk): a new signed-in citizen.
    await register(page, testInfo, `键盘${Math.floor(Math.random() * 1e6)}`);

    await open(page, testInfo, "/themes/open-restaurant");
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ tag: "a", name: "跳到主要内容" });
    await tabTo(page, "开始办理", byName("a", "开始办理"));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("您要开办的是公司还是个体工商户？");

    // Continue with no answer: the error summary takes the focus.
    await tabTo(page, "继续", byName("button", "继续"));
    await page.keyboard.press("Enter");
    await expect(page).toHaveTitle(/^错误：/);
    await expect(page.getByRole("alert")).toBeFocused();

    await chooseByKeys(page, "公司");
    await continueTo(page, "法定代表人（或个体经营者）的年龄是？");
    await typeByKeys(page, "法定代表人（或个体经营者）的年龄是？", "35");
    await continueTo(page, "经营场所位于哪类建筑？");
    await chooseByKeys(page, "独立商业建筑或商场");
    await continueTo(page, "经营面积约多少平方米（含后厨和仓储）？");
    await typeByKeys(page, "经营面积约多少平方米（含后厨和仓储）？", "80");
    await continueTo(page, "设多少个堂食座位？");
    await typeByKeys(page, "设多少个堂食座位？", "30");
    await continueTo(page, "是否销售酒类？");
    await chooseByKeys(page, "否");
    await continueTo(page, "是否设置卡拉 OK 包间、歌舞表演等娱乐项目？");
    await chooseByKeys(page, "否");
    await continueTo(page, "是否在建筑外墙设置店铺招牌？");
    await chooseByKeys(page, "是");
    await continueTo(page, "厨房污水是否排入市政污水管网？");
    await chooseByKeys(page, "是");
    await continueTo(page, "场所所在建筑（及本次装修）是否已通过消防验收或已备案？");
    await chooseByKeys(page, "是");
    await continueTo(page, "开业时计划招用多少名员工（不含您本人）？");
    await typeByKeys(page, "开业时计划招用多少名员工（不含您本人）？", "4");
    await continueTo(page, "您的办事路线图");

    await tabTo(page, "开始填写申请", byName("button", "开始填写申请"));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("填写申请");
    await tabTo(page, "申请人", byName("a", "申请人"));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("申请人");
    for (const [label, value] of [
      ["申请人姓名", "李四"],
      ["申请人身份证号码", "11010519491231002X"],
      ["联系电话", "13800138000"],
      ["法定代表人（经营者）姓名", "李四"],
      ["法定代表人（经营者）身份证号码", "11010519491231002X"],
    ]) {
      // Fields may already hold what an earlier visit typed: replace it.
      await tabTo(page, label, byName("input", new RegExp(`^${label}`)));
      await page.keyboard.press("ControlOrMeta+A");
      await page.keyboard.type(value);
    }
    await tabTo(page, "保存并继续", byName("button", "保存并继续"));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("经营主体");
  });

  test("materials, check and submit; the progress lookup; the window's acceptance", async ({ page, browser }, testInfo) => {
    test.setTimeout(240_000);
    // Set-up (not part of the walk): a citizen with every form section filled, on the materials page.
    const name = `键盘${Math.floor(Math.random() * 1e6)}`;
    await fillToMaterials(page, testInfo, freshMobile(), name);

    // One scan, chosen and sent by keyboard: the disclosure opens with Enter, the file input with Space.
    await tabTo(page, "上传扫描件", (f) => f.tag === "summary" && f.name.startsWith("上传扫描件"));
    await page.keyboard.press("Enter");
    await tabTo(page, "选择文件", (f) => f.tag === "input" && f.type === "file");
    const chooser = page.waitForEvent("filechooser");
    await page.keyboard.press("Space");
    await (await chooser).setFiles({ name: "租赁合同.pdf", mimeType: "application/pdf", buffer: PDF });
    await tabTo(page, "上传", byName("button", "上传"));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("link", { name: /租赁合同\.pdf/ })).toBeVisible();

    await tabTo(page, "继续：核对并提交", byName("a", "继续：核对并提交"));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("核对您的申请");
    await tabTo(page, "确认并提交申请", byName("button", "确认并提交申请"));
    await page.keyboard.press("Enter");
    const { number, code } = await receipt(page);

    // The lookup, in a browser with no session: the two fields and the button, by keyboard.
    const ctx = await browser.newContext({
      viewport: testInfo.project.use.viewport ?? undefined,
      javaScriptEnabled: hasJs(testInfo),
      locale: "zh-CN",
    });
    try {
      const anon = await ctx.newPage();
      await open(anon, testInfo, "/track");
      await typeByKeys(anon, "办件编号", number);
      await typeByKeys(anon, "查询码", code);
      await tabTo(anon, "查询", byName("button", "查询"));
      await anon.keyboard.press("Enter");
      await expect(anon.getByRole("heading", { level: 1 })).toHaveText("办理进度");
      await expect(anon.getByRole("main")).toContainText(number);
    } finally {
      await ctx.close();
    }

    // The window accepts it (受理) from its review page with the keyboard.
    await signIn(page, testInfo, "window", "demo-window-2026");
    await open(page, testInfo, `/work/cases/${number}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("办件审查");
    await tabTo(page, "受理", byName("button", "受理"));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "已办理" })).toBeVisible();
    await expect(page.locator("dd").filter({ hasText: "已受理" }).first()).toBeVisible();
  });
});

/** A minimal valid PDF (the upload checks the file's first bytes). */
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
