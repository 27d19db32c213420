// Paperclip 2026.916.1 evaluates an external adapter's ui-parser inside a Web Worker whose
// prelude first "locks down" globals by assigning undefined to them under "use strict".
// In Chromium two of them, `indexedDB` (always) and `caches` (in secure contexts such as
// localhost), are getter-only on WorkerGlobalScope, so the assignment throws, the worker
// dies before it reads the parser, and the run page shows every external adapter's
// transcript as raw stdout. (Seen with Debian's Chromium 148.)
//
// This init script gives the worker what its prelude expects: the two globals as plain
// writable properties, which the prelude then sets to undefined as intended. Nothing else
// of Paperclip's UI or of our parser changes. Remove it once Paperclip's worker copes.
export const parserWorkerShim = `(() => {
  const NativeBlob = window.Blob;
  const prelude = '"use strict";\\nfor (const name of ["caches", "indexedDB"]) {\\n  try { Object.defineProperty(self, name, { value: self[name], writable: true, configurable: true }); } catch {}\\n}\\n';
  const isParserWorker = (part) => typeof part === "string" && part.includes("self.onmessage") && part.includes("parseStdoutLine");
  window.Blob = class extends NativeBlob {
    constructor(parts, options) {
      super(Array.isArray(parts) && parts.some(isParserWorker) ? [prelude, ...parts] : parts, options);
    }
  };
})();`;
