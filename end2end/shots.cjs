// Phone screenshots of every application page (evidence for issue #5). Not part of the suite.
const { chromium } = require("@playwright/test");
const B = process.env.BASE ?? "http://127.0.0.1:3300";
const OUT = process.env.OUT ?? "/tmp/shots";
(async () => {
  const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const ctx = await b.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: "zh-CN", javaScriptEnabled: false });
  const p = await ctx.newPage();
  const shot = async (name) => {
    const wide = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    await p.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
    console.log(name, p.url().replace(B, ""), await p.title(), wide ? "SIDEWAYS!" : "");
  };
  await p.goto(B + "/login");
  await p.getByLabel("账号（登录名或手机号）").fill("citizen");
  await p.getByLabel("密码", { exact: true }).fill("demo-citizen-2026");
  await p.getByRole("button", { name: "登录" }).click();
  await p.goto(B + "/themes/open-restaurant"); await shot("01-theme-start");
  await p.goto(B + "/themes/open-restaurant/apply?a.entity=company"); await shot("02-question");
  const q = "a.entity=company&a.applicant_age=35&a.premises_type=commercial&a.area=120&a.seats=40&a.alcohol=no&a.entertainment=yes&a.sign=no&a.sewer=yes&a.fire_accepted=yes&a.staff=5";
  await p.goto(B + "/themes/open-restaurant/apply?" + q); await shot("03-roadmap");
  await p.getByRole("button", { name: "开始填写申请" }).click(); await shot("04-task-list");
  await p.getByRole("link", { name: "申请人", exact: true }).click();
  await p.getByLabel("申请人姓名").fill("李明");
  await p.getByLabel("申请人身份证号码").fill("110105194912310021");
  await p.getByRole("button", { name: "保存并继续" }).click(); await shot("05-section-errors");
  await p.getByLabel("申请人身份证号码").fill("11010519491231002X");
  await p.getByLabel("联系电话").fill("13800138000");
  await p.getByLabel("法定代表人（经营者）姓名").fill("李明");
  await p.getByLabel("法定代表人（经营者）身份证号码").fill("11010519491231002X");
  await p.getByRole("button", { name: "保存并继续" }).click(); await shot("06-section-business");
  await p.getByLabel("企业（字号）名称").fill("示范味道餐饮有限公司");
  await p.getByLabel("经营范围").fill("餐饮服务");
  await p.getByRole("button", { name: "保存并继续" }).click();
  await p.getByLabel("经营场所地址").fill("示范市中山路 1 号");
  await p.getByRole("button", { name: "保存并继续" }).click();
  await p.getByRole("button", { name: "保存并继续" }).click();
  await p.getByRole("button", { name: "保存并继续" }).click();
  const first = p.locator("li.material").first();
  await first.getByText("上传扫描件").click();
  await first.getByLabel(/选择文件/).setInputFiles({ name: "lease.pdf", mimeType: "application/pdf", buffer: Buffer.from("nope") });
  await first.getByRole("button", { name: "上传" }).click(); await shot("07-materials-error");
  await p.locator("li.material").first().getByLabel(/选择文件/).setInputFiles({ name: "租赁合同.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
  await p.locator("li.material").first().getByRole("button", { name: "上传" }).click(); await shot("08-materials");
  await p.getByRole("link", { name: "继续：核对并提交" }).click(); await shot("09-check");
  await p.getByRole("button", { name: "确认并提交申请" }).click(); await shot("10-submitted");
  const caseUrl = p.url();
  await p.goto(B + "/my"); await shot("11-my");
  // Evidence for issue #8: home, roadmap and case in both languages, on a phone and a desktop, JavaScript on.
  for (const [size, opts] of [["phone", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }], ["desktop", { viewport: { width: 1366, height: 900 } }]]) {
    for (const lang of ["zh", "en"]) {
      const c = await b.newContext({ ...opts, deviceScaleFactor: 1, locale: "zh-CN" });
      await c.addCookies([...(await ctx.cookies()), { name: "hall_lang", value: lang, url: B }]);
      const q2 = await c.newPage();
      for (const [name, url] of [["home", B + "/"], ["roadmap", B + "/themes/open-restaurant/apply?" + q], ["case", caseUrl]]) {
        await q2.goto(url);
        await q2.locator("[data-hydrated=true]").waitFor({ timeout: 15000 });
        const wide = await q2.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
        await q2.screenshot({ path: `${OUT}/i18n-${lang}-${size}-${name}.png`, fullPage: true });
        console.log(`i18n-${lang}-${size}-${name}`, await q2.title(), wide ? "SIDEWAYS!" : "");
      }
      await c.close();
    }
  }
  await b.close();
})().catch((e) => { console.error(e); process.exit(1); });
