import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as path from "path";

// Runs after every other project (see playwright.config.ts): the suite has typed resident ID numbers and mobile
// numbers into every form; none of them may reach the server's log (issue #10, personal data).
test("the server's log of the whole run holds no resident ID or mobile number", async () => {
  const log = path.join(process.env.HALL_E2E_DATA ?? "", "server.log");
  const text = fs.readFileSync(log, "utf8");
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  // The run did log (requests, sign-ins …): an empty log would prove nothing.
  expect(lines.length).toBeGreaterThan(10);
  const residentId = /(?<![0-9])[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])/;
  const mobile = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/;
  // The patterns do find what the suite types (so an empty result means something).
  expect(residentId.test("x 11010519491231002X y") && mobile.test("phone=13800138000")).toBe(true);
  const leaks = lines.filter((l) => residentId.test(l) || mobile.test(l));
  expect(leaks.slice(0, 5)).toEqual([]);
});
