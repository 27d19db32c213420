import { isObject } from "./is-object.ts";
import type { ResolvedOptions } from "./options.ts";
import { reduceText, type TextReduction } from "./reduce-text.ts";
import { combine, type Reduction, unchanged } from "./reduction.ts";
import { shareBudget } from "./shared-budget.ts";
import { utf8ByteLength } from "./utf8.ts";

// MCP tools (CLI 2.1.330 hands the hook an array of Anthropic content blocks: text, image
// with a base64 source, ...) and unknown tools. Only text blocks are cut, sharing one
// budget; images and every other block pass through byte for byte.

type Block = Record<string, unknown> & { type: string };

const isBlock = (value: unknown): value is Block => isObject(value) && typeof value.type === "string";
const isTextBlock = (block: Block): block is Block & { text: string } => block.type === "text" && typeof block.text === "string";

export function isContentBlockArray(value: unknown): value is Block[] {
  return Array.isArray(value) && value.length > 0 && value.every(isBlock);
}

function reduceBlocks(blocks: Block[], options: ResolvedOptions): { blocks: Block[]; parts: TextReduction[] } {
  const textIndexes = blocks.flatMap((block, index) => (isTextBlock(block) ? [index] : []));
  const sizes = textIndexes.map((index) => utf8ByteLength(String(blocks[index]!.text)));
  const shares = shareBudget(sizes, options.maxBytes);
  const parts: TextReduction[] = [];
  const out = blocks.slice();
  textIndexes.forEach((index, position) => {
    const block = blocks[index] as Block & { text: string };
    const reduction = reduceText(block.text, { maxBytes: shares[position]!, mode: "head-and-tail", normalize: true });
    parts.push(reduction);
    if (reduction.changed) out[index] = { ...block, text: reduction.text };
  });
  return { blocks: out, parts };
}

/** A plain string, an array of content blocks, or an object whose `content` is one; anything else is left alone. */
export function reduceGenericOutput(response: unknown, options: ResolvedOptions): Reduction {
  if (typeof response === "string") {
    const reduction = reduceText(response, { maxBytes: options.maxBytes, mode: "head-and-tail", normalize: true });
    return combine(reduction.text, [reduction]);
  }
  if (isContentBlockArray(response)) {
    const { blocks, parts } = reduceBlocks(response, options);
    return combine(blocks, parts);
  }
  if (isObject(response) && isContentBlockArray(response.content)) {
    const { blocks, parts } = reduceBlocks(response.content, options);
    return combine({ ...response, content: blocks }, parts);
  }
  return unchanged;
}
