import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from '../../src/text/markdown.js';

/** No executable or third-party-loading construct survives rendering. */
function expectInert(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<style/i);
  expect(html).not.toMatch(/<iframe|<object|<embed|<svg|<form|<input|<link|<meta|<base/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  // As text ("[click](javascript:…)" printed literally) a scheme is harmless; in an attribute it is not.
  expect(html).not.toMatch(/=\s*"[^"]*(javascript|vbscript|data):/i);
  expect(html).not.toMatch(/\sstyle\s*=/i);
  expect(html).not.toMatch(/\ssrc="(https?:)?\/\//i);
}

const HOSTILE: Record<string, string> = {
  'script tag': '<script>alert(1)</script>\n\nText',
  'inline script in a paragraph': 'Hello <script>alert(document.cookie)</script> world',
  'img onerror': '<img src="/x.png" onerror="alert(1)">',
  'unquoted onerror': '<img src=x onerror=alert(1)>',
  'javascript: Markdown link': '[click](javascript:alert(1))',
  'javascript: HTML link': '<a href="javascript:alert(1)">click</a>',
  'mixed-case javascript:': '<a href="JaVaScRiPt:alert(1)">click</a>',
  'entity-encoded javascript:': '<a href="&#106;avascript:alert(1)">click</a>',
  'javascript: with a newline': '<a href="java\nscript:alert(1)">click</a>',
  'vbscript:': '<a href="vbscript:msgbox(1)">click</a>',
  iframe: '<iframe src="https://evil.example/"></iframe>',
  'data: image': '![pixel](data:image/png;base64,iVBORw0KGgo=)',
  'data: link': '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  'svg onload': '<svg onload="alert(1)"><circle r="5"/></svg>',
  'style tag': '<style>body { display: none }</style>',
  'style attribute': '<p style="background:url(https://evil.example/t.png)">x</p>',
  'object and embed': '<object data="x.swf"></object><embed src="x.swf">',
  'form and input': '<form action="https://evil.example"><input name="pw"></form>',
  'meta refresh': '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  'base tag': '<base href="https://evil.example/">',
  'link stylesheet': '<link rel="stylesheet" href="https://evil.example/x.css">',
  'third-party image': '![tracker](https://evil.example/pixel.gif)',
  'protocol-relative image': '<img src="//evil.example/pixel.gif">',
  'event attribute on allowed tag': '<a href="/ok" onclick="alert(1)" onmouseover="alert(2)">ok</a>',
  'autofocus onfocus': '<details open ontoggle=alert(1)><summary>x</summary></details>',
};

describe('renderMarkdown sanitises hostile input', () => {
  for (const [name, source] of Object.entries(HOSTILE)) {
    it(`renders ${name} inert`, () => expectInert(renderMarkdown(source)));
  }

  it('keeps the text around removed markup', () => {
    expect(renderMarkdown('Hello <script>alert(1)</script> world')).toContain('Hello');
    expect(renderMarkdown('<a href="javascript:alert(1)">click</a>')).toContain('click');
  });
});

describe('renderMarkdown renders ordinary Markdown', () => {
  it('renders paragraphs, emphasis, lists, quotes and headings', () => {
    const html = renderMarkdown('# Title\n\n## Sub\n\nSome **bold** and *italic*.\n\n- one\n- two\n\n> a quote');
    expect(html).toContain('<h2>Title</h2>'); // one <h1> per page: the headline
    expect(html).toContain('<h2>Sub</h2>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>italic</em>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<blockquote>');
  });

  it('gives external links rel="noopener" and leaves local links alone', () => {
    expect(renderMarkdown('[ext](https://example.org/a)')).toBe('<p><a href="https://example.org/a" rel="noopener">ext</a></p>\n');
    expect(renderMarkdown('<a href="http://example.org" rel="opener" target="_blank">x</a>')).toContain('rel="noopener"');
    expect(renderMarkdown('<a href="http://example.org" target="_blank">x</a>')).not.toContain('target');
    expect(renderMarkdown('[local](/politics/x)')).toBe('<p><a href="/politics/x">local</a></p>\n');
    expect(renderMarkdown('[mail](mailto:desk@example.org)')).toContain('href="mailto:desk@example.org"');
  });

  it('keeps images from this site, lazily loaded', () => {
    const html = renderMarkdown('![A chart](/media/ab/abc/800.jpg)');
    expect(html).toContain('src="/media/ab/abc/800.jpg"');
    expect(html).toContain('alt="A chart"');
    expect(html).toContain('loading="lazy"');
  });

  it('escapes text that looks like markup in code', () => {
    expect(renderMarkdown('`<script>`')).toContain('<code>&lt;script&gt;</code>');
  });
});

describe('markdownToText', () => {
  it('gives plain text without markup', () => {
    expect(markdownToText('# Hi\n\nSome **bold** <script>x()</script> [link](https://e.org).')).toBe('Hi Some bold link.');
  });
});
