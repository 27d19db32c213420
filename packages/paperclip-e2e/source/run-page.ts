// Paperclip's run page in headless Chromium (Debian's, driven by playwright-core): what an
// operator sees of a claude_k8s run, rendered by our ui-parser inside Paperclip's UI.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { parserWorkerShim } from "./parser-worker-shim.ts";

export const chromiumPath = process.env.CLAUDE_K8S_CHROMIUM ?? "/usr/bin/chromium";
/** Screenshots and page dumps land here (kept by CI as test artifacts). */
export const artifactsDir = path.resolve(import.meta.dirname, "../../../test-artifacts");

export interface RunPage {
  readonly page: Page;
  /** The transcript section's text as rendered (CSS upper-casing applied). */
  transcriptText(): Promise<string>;
  /** A full-page screenshot (transcript scrolled to its end), the page's HTML and console. */
  keep(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openRunPage(url: string): Promise<RunPage> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), "claude-k8s-chromium-"));
  let context: BrowserContext | undefined;
  try {
    // This machine's network is closed: without the background-networking flags Chromium
    // keeps dialling Google's hosts.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1400, height: 1600 },
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`cannot start Chromium at ${chromiumPath} (./dev installs Debian's chromium; CLAUDE_K8S_CHROMIUM names another): ${(error as Error).message}`);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines: string[] = [];
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));
  const close = async () => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    await page.addInitScript(parserWorkerShim);
    await page.goto(url, { waitUntil: "networkidle" });
  } catch (error) {
    await close();
    throw error;
  }

  return {
    page,
    async transcriptText() {
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (CSS upper-casing, collapsed parts left out) is what the operator reads
      const text = await page.locator("body").innerText();
      const start = text.indexOf("Transcript (");
      const end = text.indexOf("Events (", start);
      return start < 0 ? "" : text.slice(start, end < 0 ? undefined : end);
    },
    async keep(name) {
      mkdirSync(artifactsDir, { recursive: true });
      // The transcript scrolls inside its own box: show its end (the answer) in the picture.
      await page.evaluate(() => {
        // (Runs in the page: DOM types come from this package's tsconfig.)
        for (const element of document.querySelectorAll<HTMLElement>("body *")) {
          if (element.scrollHeight > element.clientHeight + 8 && getComputedStyle(element).overflowY !== "visible") element.scrollTop = element.scrollHeight;
        }
      });
      const screenshot = path.join(artifactsDir, `${name}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      writeFileSync(path.join(artifactsDir, `${name}.html`), await page.content());
      writeFileSync(path.join(artifactsDir, `${name}.console.txt`), `${consoleLines.join("\n")}\n`);
      return screenshot;
    },
    close,
  };
}
