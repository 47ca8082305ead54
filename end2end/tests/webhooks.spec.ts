import { expect, Page, test, TestInfo } from "@playwright/test";
import { expectAccessible, expectNoSidewaysScroll, open } from "./helpers";

// /admin/webhooks as the demo administrator: a receiver's address is checked, saved with a secret shown once,
// listed, and removed. The four projects run in parallel on one database: each uses a department of its own.

const DEPARTMENTS: Record<string, [string, string]> = {
  phone: ["eco", "示范市生态环境局"],
  desktop: ["water", "示范市水务局"],
  "phone-nojs": ["culture", "示范市文化广电旅游局"],
  "desktop-nojs": ["hrss", "示范市人力资源和社会保障局"],
};

async function signInAsAdmin(page: Page, testInfo: TestInfo, next: string) {
  await open(page, testInfo, `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("账号（登录名或手机号）").fill("admin");
  await page.getByLabel("密码", { exact: true }).fill("demo-admin-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("部门系统回调（Webhook）");
}

test.describe("department webhooks", () => {
  test.slow();

  test("an administrator sets a department's receiver: the address is checked, the secret shown once, then removed", async ({ page }, testInfo) => {
    const [department, name] = DEPARTMENTS[testInfo.project.name] ?? DEPARTMENTS.desktop;
    await signInAsAdmin(page, testInfo, "/admin/webhooks");
    await expectAccessible(page, testInfo);
    await expectNoSidewaysScroll(page);

    // HTTPS is refused with a reason, and what was typed stays.
    await page.getByRole("combobox", { name: "部门", exact: true }).selectOption(department);
    await page.getByRole("textbox", { name: "接收地址" }).fill("https://dept.example/hook");
    await page.getByRole("button", { name: "保存并生成密钥" }).click();
    await expect(page).toHaveTitle(/^错误：/);
    await expect(page.getByRole("alert")).toContainText("接收地址应以 http:// 开头");
    await expect(page.getByRole("textbox", { name: "接收地址" })).toHaveValue("https://dept.example/hook");
    await expect(page.getByRole("combobox", { name: "部门", exact: true })).toHaveValue(department);
    await expectAccessible(page, testInfo);

    // A plain-HTTP address is saved; the secret is shown this once.
    const url = `http://127.0.0.1:9/hall/${testInfo.project.name}`;
    await page.getByRole("textbox", { name: "接收地址" }).fill(url);
    await page.getByRole("button", { name: "保存并生成密钥" }).click();
    await expect(page.getByRole("status").filter({ hasText: "接收地址已保存" })).toBeVisible();
    const secret = page.getByRole("region", { name: "签名密钥（只显示这一次）" });
    await expect(secret.locator("code")).toHaveText(/^whsec_[0-9a-f]{64}$/);
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText(url);
    await expectAccessible(page, testInfo);

    await page.reload();
    await expect(page.getByRole("region", { name: "签名密钥（只显示这一次）" })).toHaveCount(0);

    await page.getByRole("button", { name: `删除 ${name}` }).click();
    await expect(page.getByRole("status").filter({ hasText: "接收地址已删除" })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: url })).toHaveCount(0);
  });

  test("only administrators open the page", async ({ page }, testInfo) => {
    await open(page, testInfo, "/admin/webhooks");
    await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fwebhooks/);
  });
});
