/**
 * The block editor's (Gutenberg's) serialised form: `<!-- wp:name {"json":…} -->inner<!-- /wp:name -->`
 * or self-closing `<!-- wp:name {…} /-->`, nested. Text outside any block is classic ("freeform") content.
 */

export interface Block {
  /** `core/paragraph` for `wp:paragraph`, `namespace/name` otherwise. */
  name: string;
  attrs: Record<string, unknown>;
  /** The block's own HTML, in order, with its inner blocks where they sit (null marks one). */
  parts: (string | null)[];
  inner: Block[];
}

export type Piece = { freeform: string } | { block: Block };

/** The inside of one HTML comment that is a block delimiter: `/wp:name`, `wp:name {json}`, `wp:name {json} /`. */
const DELIMITER = /^\s+(\/)?wp:([a-z][a-z0-9_-]*(?:\/[a-z][a-z0-9_-]*)?)\s+(?:(\{[\s\S]*\})\s+)?(\/)?$/;

export function hasBlocks(html: string): boolean {
  return /<!--\s+wp:[a-z]/.test(html);
}

function fullName(name: string): string {
  return name.includes('/') ? name : `core/${name}`;
}

function parseAttrs(json: string | undefined): Record<string, unknown> {
  if (!json) return {};
  try {
    const value = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Splits post content into top-level pieces. A closing comment without its opening is treated as
 * text; a block left open at the end is closed there (the way the editor itself recovers).
 */
export function parseBlocks(html: string): Piece[] {
  const top: Piece[] = [];
  const stack: Block[] = [];
  let at = 0;
  const addText = (text: string) => {
    if (!text) return;
    if (stack.length) stack[stack.length - 1].parts.push(text);
    else top.push({ freeform: text });
  };
  const addBlock = (block: Block) => {
    if (stack.length) {
      const parent = stack[stack.length - 1];
      parent.inner.push(block);
      parent.parts.push(null);
    } else top.push({ block });
  };
  // Comments are found with indexOf, and each is looked at once: time stays linear in the content.
  let scan = 0;
  for (;;) {
    const open = html.indexOf('<!--', scan);
    if (open === -1) break;
    const close = html.indexOf('-->', open + 4);
    if (close === -1) break;
    scan = close + 3;
    const m = DELIMITER.exec(html.slice(open + 4, close));
    if (!m) continue;
    const [, closing, rawName, json, selfClosing] = m;
    const whole = html.slice(open, scan);
    addText(html.slice(at, open));
    at = scan;
    const name = fullName(rawName);
    if (closing) {
      const openIndex = stack.map((b) => b.name).lastIndexOf(name);
      if (openIndex === -1) {
        addText(whole);
        continue;
      }
      while (stack.length > openIndex) {
        const done = stack.pop()!;
        addBlock(done);
      }
      continue;
    }
    const block: Block = { name, attrs: parseAttrs(json), parts: [], inner: [] };
    if (selfClosing) addBlock(block);
    else stack.push(block);
  }
  addText(html.slice(at));
  while (stack.length) addBlock(stack.pop()!);
  return top;
}
