// Finding the URL the CLI asks a human to open to log in.

const URL_PATTERN = /https?:\/\/[^\s"'<>`]+/g;
// A login URL is a login or OAuth page, on Anthropic's or Claude's hosts (or any OAuth
// authorize page, for gateways that front the login). Any other URL in the same text (a gateway
// address, a docs page, an API-key settings page, a repository) is not one.
const LOGIN_HOST = /(^|\.)(claude\.ai|claude\.com|anthropic\.com)$/i;
const LOGIN_PATH = /oauth|login|authori[sz]e|signin|sign-in|device/i;

/** The first login URL in `text`, with trailing punctuation removed; undefined when there is none. */
export function findLoginUrl(text: string): string | undefined {
  for (const match of text.matchAll(URL_PATTERN)) {
    const candidate = match[0].replace(/[.,;:!?)\]}]+$/, "");
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      continue;
    }
    if (LOGIN_PATH.test(url.pathname) && (LOGIN_HOST.test(url.hostname) || /oauth/i.test(url.pathname))) return candidate;
  }
  return undefined;
}
