// Smoke test for dist/editor.js: serves test/index.html on an ephemeral
// loopback port and drives it with playwright-core + the system Chromium.
// Run with `npm test` (builds first via the pretest script).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, "..", "dist", "editor.js");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

if (!fs.existsSync(bundle)) {
  console.error(`missing ${bundle}; run \`npm run build\` first`);
  process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`missing ${CHROMIUM}; install it with \`apt-get install -y chromium\``);
  process.exit(2);
}

const routes = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/index.html": ["index.html", "text/html; charset=utf-8"],
  "/editor.js": [bundle, "text/javascript; charset=utf-8"],
};
const server = http.createServer((req, res) => {
  const route = routes[new URL(req.url, "http://x").pathname];
  if (req.url === "/favicon.ico") {
    res.writeHead(204).end();
    return;
  }
  if (!route) {
    res.writeHead(404).end("not found");
    return;
  }
  const file = path.isAbsolute(route[0]) ? route[0] : path.join(here, route[0]);
  res.writeHead(200, { "content-type": route[1], "cache-control": "no-store" });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok   - ${name}`);
  } else {
    failed++;
    console.log(`FAIL - ${name}${detail !== undefined ? `: ${JSON.stringify(detail)}` : ""}`);
  }
}
async function waitFor(page, fn, arg, timeout = 3000) {
  try {
    await page.waitForFunction(fn, arg, { timeout });
    return true;
  } catch {
    return false;
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});

try {
  const context = await browser.newContext({ viewport: { width: 680, height: 330 }, colorScheme: "light" });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
  await page.goto(base);

  check("window.KubeplayEditor.create exists", await page.evaluate(() => typeof window.KubeplayEditor?.create === "function"));
  check("editor mounted", (await page.locator("#host .cm-editor").count()) === 1);
  check("aria-label on editing area", (await page.getAttribute(".cm-content", "aria-label")) === "Manifest YAML");
  check("placeholder shown when empty", (await page.locator(".cm-placeholder").textContent()) === "Paste a Kubernetes manifest…");

  const box = await page.locator("#host .cm-editor").boundingBox();
  check("editor fills parent height", box && Math.round(box.height) === 260, box);

  // Type text (Enter after "metadata:" should auto-indent).
  await page.click(".cm-content");
  await page.keyboard.type("kind: Pod\nmetadata:\nname: demo");
  const expected = "kind: Pod\nmetadata:\n  name: demo";
  const doc = await page.evaluate(() => ed.getDoc());
  check("typed text is in the doc (with YAML auto-indent)", doc === expected, doc);
  check(
    "onChange fired with the whole doc",
    await waitFor(page, (exp) => window.__changes.at(-1) === exp, expected),
    await page.evaluate(() => window.__changes)
  );
  await sleep(300);
  const nChanges = await page.evaluate(() => window.__changes.length);
  check("onChange is debounced (few calls for a burst of typing)", nChanges >= 1 && nChanges <= 3, nChanges);
  check("YAML keys are highlighted", (await page.locator(".cm-line span").count()) > 0);

  // Diagnostics: one at line 2, one far out of range (clamped to the last line).
  await page.evaluate(() =>
    ed.setDiagnostics([
      { line: 2, column: 1, message: "metadata must be a mapping", severity: "error" },
      { line: 99, column: 80, message: "clamped warning", severity: "warning" },
    ])
  );
  check("lint marker in the gutter (error)", await waitFor(page, () => !!document.querySelector(".cm-gutter-lint .cm-lint-marker-error")));
  check("lint marker in the gutter (warning, clamped)", (await page.locator(".cm-gutter-lint .cm-lint-marker-warning").count()) === 1);
  const errRange = await page.locator(".cm-lintRange-error").allTextContents();
  check("error range covers line 2", errRange.join("") === "metadata:", errRange);
  const warnRange = await page.locator(".cm-lintRange-warning").allTextContents();
  check("clamped warning marks end of last line", warnRange.join("") === "o", warnRange);
  const markerLine2 = await page.evaluate(() => {
    const m = document.querySelector(".cm-gutter-lint .cm-lint-marker-error").getBoundingClientRect();
    const line2 = document.querySelectorAll(".cm-line")[1].getBoundingClientRect();
    return Math.abs(m.top + m.height / 2 - (line2.top + line2.height / 2)) < line2.height;
  });
  check("error marker sits on line 2", markerLine2);
  await page.hover(".cm-gutter-lint .cm-lint-marker-error");
  check(
    "hovering the marker shows a tooltip",
    await waitFor(page, () => /metadata must be a mapping/.test(document.querySelector(".cm-tooltip")?.textContent || ""))
  );

  // Ctrl+Enter applies (and must not insert a newline).
  await page.click(".cm-content");
  await page.keyboard.press("Control+Enter");
  check("Control+Enter calls onApply", (await page.evaluate(() => window.__applies)) === 1);
  check("Control+Enter does not edit the doc", (await page.evaluate(() => ed.getDoc())) === expected);

  // setDoc: replaces, does not fire onChange, is undoable.
  const before = await page.evaluate(() => window.__changes.length);
  await page.evaluate(() => ed.setDoc("apiVersion: v1\nkind: ConfigMap\n"));
  await sleep(300);
  check("setDoc replaces the doc", (await page.evaluate(() => ed.getDoc())) === "apiVersion: v1\nkind: ConfigMap\n");
  check("setDoc does not fire onChange", (await page.evaluate(() => window.__changes.length)) === before);
  await page.click(".cm-content");
  await page.keyboard.press("Control+z");
  check("undo reverts setDoc", (await page.evaluate(() => ed.getDoc())) === expected, await page.evaluate(() => ed.getDoc()));
  await page.keyboard.press("Control+z");
  const afterUndo = await page.evaluate(() => ed.getDoc());
  check("undo reverts typing", afterUndo.length < expected.length, afterUndo);
  check("undo fires onChange", await waitFor(page, (d) => window.__changes.at(-1) === d, afterUndo));
  // Real keyboards report "Z" while Shift is held.
  await page.keyboard.press("Control+Shift+Z");
  check("redo (Ctrl+Shift+Z) works", (await page.evaluate(() => ed.getDoc())) === expected, await page.evaluate(() => ed.getDoc()));
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+y");
  check("redo (Ctrl+Y) works", (await page.evaluate(() => ed.getDoc())) === expected, await page.evaluate(() => ed.getDoc()));

  // Search panel.
  await page.keyboard.press("Control+f");
  check("Ctrl+F opens the search panel", await waitFor(page, () => !!document.querySelector(".cm-panels .cm-search")));
  await page.keyboard.press("Escape");
  check("Escape closes the search panel", await waitFor(page, () => !document.querySelector(".cm-search")));

  // Tab indents; Escape then Tab leaves the editor.
  await page.evaluate(() => ed.focus());
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("Tab");
  check("Tab indents", (await page.evaluate(() => ed.getDoc())).startsWith("  kind: Pod"));
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  check("Escape, Tab moves focus out", (await page.evaluate(() => document.activeElement?.id)) === "after");

  // Light screenshot with a diagnostic tooltip showing.
  await page.evaluate(() => ed.setDoc(
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web # the app\n  labels: {app: web, tier: \"frontend\"}\nspec:\n  replicas: 3\n  template: &tpl\n    spec:\n      containers:\n        - name: nginx\n          image: nginx:1.27\n          ports: [80, 443]\n"));
  await page.evaluate(() => ed.setDiagnostics([
    { line: 2, column: 7, message: "unknown kind \"Deployment\" in this scenario", severity: "error" },
    { line: 7, column: 13, message: "replicas > 2 will not fit", severity: "warning" },
    { line: 12, column: 1, message: "image will be pulled", severity: "info" },
  ]));
  await page.evaluate(() => ed.focus());
  await page.hover(".cm-gutter-lint .cm-lint-marker-error");
  await waitFor(page, () => !!document.querySelector(".cm-tooltip"));
  const lightBg = await page.evaluate(() => getComputedStyle(document.querySelector(".cm-editor")).backgroundColor);
  await page.screenshot({ path: path.join(here, "screenshot.png") });

  // Dark scheme.
  await page.mouse.move(600, 320);
  await page.emulateMedia({ colorScheme: "dark" });
  await sleep(100);
  const darkBg = await page.evaluate(() => getComputedStyle(document.querySelector(".cm-editor")).backgroundColor);
  check("colours follow prefers-color-scheme", lightBg === "rgb(255, 255, 255)" && darkBg === "rgb(13, 17, 23)", { lightBg, darkBg });
  await page.hover(".cm-gutter-lint .cm-lint-marker-warning");
  await waitFor(page, () => !!document.querySelector(".cm-tooltip"));
  await page.screenshot({ path: path.join(here, "screenshot-dark.png") });

  // Page CSS can override the variables.
  await page.addStyleTag({ content: "#host { --kp-editor-bg: rgb(1, 2, 3); }" });
  check("page CSS variable override wins", (await page.evaluate(() => getComputedStyle(document.querySelector(".cm-editor")).backgroundColor)) === "rgb(1, 2, 3)");

  // destroy
  await page.evaluate(() => ed.destroy());
  check("destroy removes the editor", (await page.locator(".cm-editor").count()) === 0);
  check("no page errors", pageErrors.length === 0, pageErrors);
} catch (e) {
  failed++;
  console.log(`FAIL - exception: ${e && e.stack ? e.stack : e}`);
} finally {
  await browser.close();
  server.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
