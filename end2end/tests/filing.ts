import { expect, Page, TestInfo } from "@playwright/test";
import { open } from "./helpers";

// Filing a case through the real pages, for specs that need one (the same steps as workbench.spec.ts's own copy).

export const ANSWERS =
  "a.entity=sole&a.applicant_age=35&a.premises_type=commercial&a.area=60&a.seats=20&a.alcohol=no&a.entertainment=no&a.sign=no&a.sewer=no&a.fire_accepted=yes&a.staff=0";
export const RESIDENT_ID = "11010519491231002X";
export const CONTACT_PHONE = "13800138000";

export function freshMobile(): string {
  return "136" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

/** A new citizen registers and files the smallest restaurant application (sole trader); returns the case number
 * and the lookup code from the receipt. */
export async function fileCase(
  page: Page,
  testInfo: TestInfo,
  mobile: string,
  name: string,
): Promise<{ number: string; code: string }> {
  await registerCitizen(page, testInfo, mobile, name);
  await fillApplication(page, testInfo, name);
  await page.getByRole("button", { name: "确认并提交申请" }).click();
  return receipt(page);
}

/** The case number and the lookup code, read from the receipt page. */
export async function receipt(page: Page): Promise<{ number: string; code: string }> {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("申请已提交");
  const number = (await page.locator(".case-number").first().innerText()).trim();
  const code = (await page.locator(".summary__row").filter({ hasText: "查询码" }).locator("dd").innerText()).trim();
  return { number, code };
}

/** A new citizen registers (and is signed in). */
export async function registerCitizen(page: Page, testInfo: TestInfo, mobile: string, name: string) {
  await open(page, testInfo, "/register");
  await page.getByLabel("手机号", { exact: true }).fill(mobile);
  await page.getByLabel("姓名").fill(name);
  await page.getByLabel("密码", { exact: true }).fill("correct horse battery");
  await page.getByLabel("再次输入密码").fill("correct horse battery");
  await page.getByLabel("居民身份证号码").fill(RESIDENT_ID);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByRole("navigation", { name: "账号" }).getByRole("link", { name })).toBeVisible();
}

/** A new citizen registers, answers the restaurant questions (sole trader) and fills every form section; ends on
 * the materials page. */
export async function fillToMaterials(page: Page, testInfo: TestInfo, mobile: string, name: string) {
  await registerCitizen(page, testInfo, mobile, name);
  await fillSections(page, testInfo, name);
}

/** The signed-in filer (citizen or agent) starts the smallest restaurant application for `name` and fills it,
 * up to its check page (not submitted). */
export async function fillApplication(page: Page, testInfo: TestInfo, name: string) {
  await fillSections(page, testInfo, name);
  await page.getByRole("link", { name: "继续：核对并提交" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("核对您的申请");
}

/** The signed-in filer starts the application and fills every form section; ends on the materials page. */
async function fillSections(page: Page, testInfo: TestInfo, name: string) {
  await open(page, testInfo, `/themes/open-restaurant/apply?${ANSWERS}`);
  await page.getByRole("button", { name: "开始填写申请" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("填写申请");
  await page.getByRole("link", { name: "申请人", exact: true }).click();
  await page.getByLabel("申请人姓名").fill(name);
  await page.getByLabel("申请人身份证号码").fill(RESIDENT_ID);
  await page.getByLabel("联系电话").fill(CONTACT_PHONE);
  await page.getByLabel("法定代表人（经营者）姓名").fill(name);
  await page.getByLabel("法定代表人（经营者）身份证号码").fill(RESIDENT_ID);
  await page.getByRole("button", { name: "保存并继续" }).click();
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
}
