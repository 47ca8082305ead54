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
  // A number stands alone: not inside a longer run of letters and digits, such as the hexadecimal request ids
  // (`…-4f0b-9f4a-b13750890431` once read as a mobile number and failed CI).
  const residentId =
    /(?<![0-9A-Za-z])[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9A-Za-z])/;
  const mobile = /(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])/;
  // The patterns do find what the suite types, however it is quoted (so an empty result means something), and
  // pass over request ids.
  expect(residentId.test("x 11010519491231002X y") && residentId.test('id="11010519491231002X"')).toBe(true);
  expect(mobile.test("phone=13800138000") && mobile.test("mobile:13800138000,")).toBe(true);
  expect(mobile.test("request{id=cac86bdc-94a4-4f0b-9f4a-b13750890431}")).toBe(false);
  const leaks = lines.filter((l) => residentId.test(l) || mobile.test(l));
  expect(leaks.slice(0, 5)).toEqual([]);
});
