import { accessSync, constants, createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { ImportFormatError } from '../import.model.js';

/**
 * The streaming layer under the WordPress reader: saxes over a file stream, yielding each child of
 * <channel> (header elements and items) as a small tree once it closes. Only one such tree is held at
 * a time (plus whatever one 64 KB chunk completes), so memory follows the largest item, not the file.
 */

export interface XmlNode {
  /** `prefix:local` with WordPress's usual prefixes whatever the file calls them (wp, dc, content, excerpt). */
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
}

export interface ChannelEntry {
  /** True for an <item>, false for the channel's own elements (title, link, wp:author, wp:category…). */
  item: boolean;
  node: XmlNode;
}

export interface WxrStreamOptions {
  /** Element names whose text is not needed in this pass (not kept, to go faster and use less memory). */
  skipText?: ReadonlySet<string>;
  /** Called after each chunk with the bytes read so far and the file's size. */
  onBytes?: (read: number, total: number) => void;
}

const WP_NS = /^https?:\/\/wordpress\.org\/export\/(\d+\.\d+)\/$/;
const EXCERPT_NS = /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/excerpt\/$/;
const KNOWN_NS: Record<string, string> = {
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://wellformedweb.org/CommentAPI/': 'wfw',
};

// HTML entities that turn up outside CDATA in exports written by plugins; XML itself knows only five.
const HTML_ENTITIES: Record<string, string> = {
  nbsp: '\u00a0',
  hellip: '\u2026',
  mdash: '\u2014',
  ndash: '\u2013',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  laquo: '\u00ab',
  raquo: '\u00bb',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  euro: '\u20ac',
};

export function nodeName(uri: string, local: string, prefix: string): string {
  if (!uri) return local;
  if (WP_NS.test(uri)) return `wp:${local}`;
  if (EXCERPT_NS.test(uri)) return `excerpt:${local}`;
  const known = KNOWN_NS[uri];
  return `${known ?? (prefix || 'ns')}:${local}`;
}

const indexes = new WeakMap<XmlNode, Map<string, string>>();

/** The text of the first child with this name ('' when absent). */
export function childText(node: XmlNode, name: string): string {
  if (node.children.length < 16) {
    for (const child of node.children) if (child.name === name) return child.text;
    return '';
  }
  let index = indexes.get(node);
  if (!index) {
    index = new Map();
    for (const child of node.children) if (!index.has(child.name)) index.set(child.name, child.text);
    indexes.set(node, index);
  }
  return index.get(name) ?? '';
}

/** The file's size, or an ImportFormatError saying why it cannot be read. */
function readableSize(file: string, name: string): number {
  let reason: string;
  try {
    const stat = statSync(file);
    if (stat.isFile() || stat.isFIFO()) {
      accessSync(file, constants.R_OK);
      return stat.size;
    }
    reason = 'is not a file (a folder?)';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? 'error'})`;
  }
  throw new ImportFormatError(name, 'file', reason);
}

/**
 * Reads `file` and yields each child of <channel> as it closes. Throws ImportFormatError for XML that
 * is not well-formed (naming the element and line) and for XML that is not a WordPress export.
 * Breaking out of the loop stops reading and closes the file.
 */
export async function* channelEntries(file: string, options: WxrStreamOptions = {}): AsyncGenerator<ChannelEntry> {
  const name = basename(file);
  const total = readableSize(file, name);
  const parser = new SaxesParser({ xmlns: true, position: true });
  Object.assign(parser.ENTITIES, HTML_ENTITIES);
  const stack: string[] = [];
  const queue: ChannelEntry[] = [];
  // The tree being built for the current child of <channel>, and the path to the node receiving text.
  let open: XmlNode[] = [];
  let sawChannel = false;
  let sawWordPress = false;
  let keepText = true;
  const skip = options.skipText;

  // saxes closes the element before it reports a mismatched end tag: that element is the one to name.
  let lastClosed = '';
  const fail = (message: string, element?: string): never => {
    const where = element ? `<${element}>` : stack.length ? `<${stack[stack.length - 1]}>` : 'document';
    throw new ImportFormatError(name, `${where} at line ${parser.line}, column ${parser.column + 1}`, message);
  };
  parser.on('error', (err) => {
    // saxes prefixes its messages with the position, which the element part already gives.
    const message = err.message.replace(/^\d+:\d+: /, '');
    if (/unexpected close tag/.test(message) && lastClosed) fail(`<${lastClosed}> is closed by another element's end tag`, lastClosed);
    fail(message);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const qname = nodeName(tag.uri, tag.local, tag.prefix);
    if (stack.length === 0) {
      if (qname !== 'rss') fail(`not a WordPress export: the root element is <${tag.name}>, expected <rss>`);
      for (const attr of Object.values(tag.attributes)) if (WP_NS.test(attr.value)) sawWordPress = true;
    } else if (stack.length === 1) {
      if (qname !== 'channel') fail(`not a WordPress export: <rss> holds <${tag.name}>, expected <channel>`);
      sawChannel = true;
    }
    if (WP_NS.test(tag.uri)) sawWordPress = true;
    stack.push(qname);
    if (stack.length < 3) return;
    if (stack.length === 3 && qname === 'item' && !sawWordPress) {
      fail('not a WordPress export: no WordPress (wp:) namespace before the first item');
    }
    const attrs: Record<string, string> = {};
    for (const attr of Object.values(tag.attributes)) if (!attr.prefix || attr.prefix !== 'xmlns') attrs[attr.local] = attr.value;
    const node: XmlNode = { name: qname, attrs, text: '', children: [] };
    if (open.length) open[open.length - 1].children.push(node);
    open.push(node);
    keepText = !skip?.has(qname);
  });
  const onText = (text: string) => {
    if (keepText && open.length) open[open.length - 1].text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const depth = stack.length;
    lastClosed = stack.pop() ?? '';
    if (depth < 3) return;
    const node = open.pop()!;
    if (depth === 3) queue.push({ item: node.name === 'item', node });
    keepText = open.length ? !skip?.has(open[open.length - 1].name) : true;
  });

  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  let read = 0;
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      read = stream.bytesRead;
      parser.write(first ? chunk.replace(/^\uFEFF/, '') : chunk);
      first = false;
      options.onBytes?.(read, total);
      while (queue.length) yield queue.shift()!;
    }
    parser.close();
    while (queue.length) yield queue.shift()!;
    if (!sawChannel) fail('not a WordPress export: no <channel> element');
    if (!sawWordPress) fail('not a WordPress export: no WordPress (wp:) namespace');
  } finally {
    stream.destroy();
    open = [];
  }
}
