// Paperclip's run page loads this file as text and evaluates it in a web worker with
// `new Function("exports", "module", ...)`: it must be CommonJS-shaped and import nothing.
// The build bundles stream-parser's dependency-free transcript module into it.
export { parseStdoutLine } from "@claude-k8s/stream-parser/transcript";
